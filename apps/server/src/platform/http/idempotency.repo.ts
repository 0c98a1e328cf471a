import type { Queryable } from '../db/database.ts';

export interface StoredResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export type ClaimResult =
  /** This request holds the key now; `tookOver`: from a request whose lease ran out (its process died). */
  | { kind: 'claimed'; tookOver: boolean }
  | { kind: 'completed'; fingerprint: string; response: StoredResponse }
  | { kind: 'in_progress'; fingerprint: string }
  | { kind: 'gone' };

/** Runs one statement on behalf of a tenant (`tenantStatement`: its own transaction, one round trip). */
export type RunStatement = <R extends Record<string, unknown>>(sql: string, params: readonly unknown[]) => Promise<R[]>;

/*
 * Claims a key, or reads who holds it, in one statement. The upsert takes over an expired key (any request), and
 * a key still `in_progress` whose lease ran out — its request's process stopped renewing it: it died — for the
 * same request only (same fingerprint); so a key is never shared by two live requests. The row read beside is as
 * of the statement's start (a data-modifying CTE's change is not visible to the rest of its statement): beside a
 * claim it tells a takeover from a first use; beside a failed claim it is the holder, and a key claimed by a
 * request that committed while this one waited reads as missing ('gone'): the caller claims again.
 */
const CLAIM_SQL = `
  WITH claimed AS (
    INSERT INTO idempotency_keys AS k
      (tenant_id, key, method, path, fingerprint, status, expires_at, lease_until, holder)
    VALUES ($1, $2, $3, $4, $5, 'in_progress', now() + make_interval(hours => $6::int),
            now() + make_interval(secs => $7::int), $8::uuid)
    ON CONFLICT (tenant_id, key) DO UPDATE
      SET method = EXCLUDED.method, path = EXCLUDED.path, fingerprint = EXCLUDED.fingerprint,
          status = 'in_progress', response_status = NULL, response_headers = NULL, response_body = NULL,
          created_at = now(), expires_at = EXCLUDED.expires_at, lease_until = EXCLUDED.lease_until,
          holder = EXCLUDED.holder
      WHERE k.expires_at < now()
         OR (k.status = 'in_progress' AND k.lease_until < now() AND k.fingerprint = EXCLUDED.fingerprint)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM claimed)::int AS claimed, k.fingerprint, k.status, k.response_status,
         k.response_headers, k.response_body, k.expires_at < now() AS expired
    FROM (SELECT 1) AS one
    LEFT JOIN idempotency_keys k ON k.tenant_id = $1 AND k.key = $2`;

interface ClaimRow extends Record<string, unknown> {
  claimed: number;
  fingerprint: string | null;
  status: 'in_progress' | 'completed' | null;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  expired: boolean | null;
}

/** One claim of a key: whose it is (`holder`, a random id per claim) and what it answers. */
export interface KeyClaim {
  readonly tenantId: string;
  readonly key: string;
  readonly holder: string;
}

/** Claims a key for this request (as `holder`, for `leaseSeconds`), or reports who holds it. */
export async function claimKey(
  run: RunStatement,
  claim: KeyClaim,
  request: { method: string; path: string; fingerprint: string; ttlHours: number; leaseSeconds: number },
): Promise<ClaimResult> {
  const rows = await run<ClaimRow>(CLAIM_SQL, [
    claim.tenantId,
    claim.key,
    request.method,
    request.path,
    request.fingerprint,
    request.ttlHours,
    request.leaseSeconds,
    claim.holder,
  ]);
  const row = rows[0];
  if (row?.claimed === 1) return { kind: 'claimed', tookOver: row.status === 'in_progress' && row.expired === false };
  if (row?.fingerprint == null) return { kind: 'gone' };
  if (row.status === 'in_progress' || row.response_status === null) {
    return { kind: 'in_progress', fingerprint: row.fingerprint };
  }
  return {
    kind: 'completed',
    fingerprint: row.fingerprint,
    response: { status: row.response_status, headers: row.response_headers ?? {}, body: row.response_body ?? '' },
  };
}

/**
 * Stores the response of the claim that still holds the key. Returns false when another request took the key over
 * meanwhile (this one's lease ran out): that request's answer is the one kept.
 */
export async function completeKey(run: RunStatement, claim: KeyClaim, response: StoredResponse): Promise<boolean> {
  const rows = await run(
    `UPDATE idempotency_keys
        SET status = 'completed', response_status = $4, response_headers = $5, response_body = $6
      WHERE tenant_id = $1 AND key = $2 AND holder = $3::uuid AND status = 'in_progress'
      RETURNING 1`,
    [claim.tenantId, claim.key, claim.holder, response.status, JSON.stringify(response.headers), response.body],
  );
  return rows.length === 1;
}

/** Lets a retry run again: used when the first attempt failed on our side (5xx). Only the holder's claim goes. */
export async function releaseKey(run: RunStatement, claim: KeyClaim): Promise<void> {
  await run(
    `DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND holder = $3::uuid AND status = 'in_progress'`,
    [claim.tenantId, claim.key, claim.holder],
  );
}

/**
 * Renews the leases of running claims, of any tenants, in one statement (the owner's connection: a process's
 * claims span tenants). Returns the holders that still hold their key; a claim missing from the answer was taken
 * over (its lease ran out before this renewal) or is finished.
 */
export async function renewLeases(
  db: Queryable,
  claims: readonly KeyClaim[],
  leaseSeconds: number,
): Promise<Set<string>> {
  const { rows } = await db.query<{ holder: string }>(
    `UPDATE idempotency_keys AS k SET lease_until = now() + make_interval(secs => $4::int)
       FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS c(tenant_id, key, holder)
      WHERE k.tenant_id = c.tenant_id AND k.key = c.key AND k.holder = c.holder AND k.status = 'in_progress'
      RETURNING k.holder`,
    [claims.map((c) => c.tenantId), claims.map((c) => c.key), claims.map((c) => c.holder), leaseSeconds],
  );
  return new Set(rows.map((r) => r.holder));
}

/** Deletes expired keys; returns how many. */
export async function deleteExpiredKeys(tx: Queryable): Promise<number> {
  const { rowCount } = await tx.query('DELETE FROM idempotency_keys WHERE expires_at < now()');
  return rowCount ?? 0;
}

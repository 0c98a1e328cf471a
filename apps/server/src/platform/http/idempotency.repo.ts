import type { Queryable } from '../db/database.ts';

export interface StoredResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export type ClaimResult =
  | { kind: 'claimed' }
  | { kind: 'completed'; fingerprint: string; response: StoredResponse }
  | { kind: 'in_progress'; fingerprint: string }
  | { kind: 'gone' };

/** Runs one statement on behalf of a tenant (`tenantStatement`: its own transaction, one round trip). */
export type RunStatement = <R extends Record<string, unknown>>(sql: string, params: readonly unknown[]) => Promise<R[]>;

/*
 * Claims a key, or reads who holds it, in one statement. An expired key is taken over by the upsert, so a key is
 * never shared by two live requests. The row read beside a failed claim is as of the statement's start: a key
 * claimed by a request that committed while this one waited reads as missing ('gone'), and the caller claims
 * again.
 */
const CLAIM_SQL = `
  WITH claimed AS (
    INSERT INTO idempotency_keys AS k (tenant_id, key, method, path, fingerprint, status, expires_at)
    VALUES ($1, $2, $3, $4, $5, 'in_progress', now() + make_interval(hours => $6::int))
    ON CONFLICT (tenant_id, key) DO UPDATE
      SET method = EXCLUDED.method, path = EXCLUDED.path, fingerprint = EXCLUDED.fingerprint,
          status = 'in_progress', response_status = NULL, response_headers = NULL, response_body = NULL,
          created_at = now(), expires_at = EXCLUDED.expires_at
      WHERE k.expires_at < now()
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM claimed)::int AS claimed, k.fingerprint, k.status, k.response_status,
         k.response_headers, k.response_body
    FROM (SELECT 1) AS one
    LEFT JOIN idempotency_keys k ON k.tenant_id = $1 AND k.key = $2 AND NOT EXISTS (SELECT 1 FROM claimed)`;

interface ClaimRow extends Record<string, unknown> {
  claimed: number;
  fingerprint: string | null;
  status: 'in_progress' | 'completed' | null;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
}

/** Claims a key for this request, or reports who holds it. */
export async function claimKey(
  run: RunStatement,
  tenantId: string,
  key: string,
  request: { method: string; path: string; fingerprint: string; ttlHours: number },
): Promise<ClaimResult> {
  const rows = await run<ClaimRow>(CLAIM_SQL, [
    tenantId,
    key,
    request.method,
    request.path,
    request.fingerprint,
    request.ttlHours,
  ]);
  const row = rows[0];
  if (row?.claimed === 1) return { kind: 'claimed' };
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

export async function completeKey(
  run: RunStatement,
  tenantId: string,
  key: string,
  response: StoredResponse,
): Promise<void> {
  await run(
    `UPDATE idempotency_keys
        SET status = 'completed', response_status = $3, response_headers = $4, response_body = $5
      WHERE tenant_id = $1 AND key = $2`,
    [tenantId, key, response.status, JSON.stringify(response.headers), response.body],
  );
}

/** Lets a retry run again: used when the first attempt failed on our side (5xx). */
export async function releaseKey(run: RunStatement, tenantId: string, key: string): Promise<void> {
  await run(`DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND status = 'in_progress'`, [
    tenantId,
    key,
  ]);
}

/** Deletes expired keys; returns how many. */
export async function deleteExpiredKeys(tx: Queryable): Promise<number> {
  const { rowCount } = await tx.query('DELETE FROM idempotency_keys WHERE expires_at < now()');
  return rowCount ?? 0;
}

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

/**
 * Claims a key for this request, or reports who holds it. An expired key is taken over in the same statement,
 * so a key is never shared by two live requests.
 */
export async function claimKey(
  tx: Queryable,
  tenantId: string,
  key: string,
  request: { method: string; path: string; fingerprint: string; ttlHours: number },
): Promise<ClaimResult> {
  const claimed = await tx.query(
    `INSERT INTO idempotency_keys AS k (tenant_id, key, method, path, fingerprint, status, expires_at)
     VALUES ($1, $2, $3, $4, $5, 'in_progress', now() + make_interval(hours => $6))
     ON CONFLICT (tenant_id, key) DO UPDATE
       SET method = EXCLUDED.method, path = EXCLUDED.path, fingerprint = EXCLUDED.fingerprint,
           status = 'in_progress', response_status = NULL, response_headers = NULL, response_body = NULL,
           created_at = now(), expires_at = EXCLUDED.expires_at
       WHERE k.expires_at < now()
     RETURNING 1`,
    [tenantId, key, request.method, request.path, request.fingerprint, request.ttlHours],
  );
  if (claimed.rowCount === 1) return { kind: 'claimed' };
  const { rows } = await tx.query<{
    fingerprint: string;
    status: 'in_progress' | 'completed';
    response_status: number | null;
    response_headers: Record<string, string> | null;
    response_body: string | null;
  }>(
    `SELECT fingerprint, status, response_status, response_headers, response_body
       FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`,
    [tenantId, key],
  );
  const row = rows[0];
  if (row === undefined) return { kind: 'gone' };
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
  tx: Queryable,
  tenantId: string,
  key: string,
  response: StoredResponse,
): Promise<void> {
  await tx.query(
    `UPDATE idempotency_keys
        SET status = 'completed', response_status = $3, response_headers = $4, response_body = $5
      WHERE tenant_id = $1 AND key = $2`,
    [tenantId, key, response.status, JSON.stringify(response.headers), response.body],
  );
}

/** Lets a retry run again: used when the first attempt failed on our side (5xx). */
export async function releaseKey(tx: Queryable, tenantId: string, key: string): Promise<void> {
  await tx.query(`DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND status = 'in_progress'`, [
    tenantId,
    key,
  ]);
}

/** Deletes expired keys; returns how many. */
export async function deleteExpiredKeys(tx: Queryable): Promise<number> {
  const { rowCount } = await tx.query('DELETE FROM idempotency_keys WHERE expires_at < now()');
  return rowCount ?? 0;
}

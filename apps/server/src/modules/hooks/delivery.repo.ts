import type { Queryable } from '../../platform/db/database.ts';

/** A delivery due for an attempt, with what the job needs to send it. */
export interface ClaimedDelivery {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_type: string;
  payload: { type: string; timestamp: string; data: unknown };
  attempts: number;
  url: string;
  secret: string;
}

/**
 * Delivery `id` with what is needed to send it, when it is pending, due and its endpoint enabled; undefined
 * otherwise (delivered, failed, deleted, not yet due, or its endpoint disabled). No lock is held during the HTTP
 * call: the queue runs one job per delivery, and an attempt recorded twice adds nothing (insertAttempt).
 */
export async function dueDelivery(db: Queryable, id: string): Promise<ClaimedDelivery | undefined> {
  const { rows } = await db.query<ClaimedDelivery>(
    `SELECT d.id, d.tenant_id, d.endpoint_id, d.event_type, d.payload, d.attempts, e.url, e.secret
       FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
      WHERE d.id = $1 AND d.status = 'pending' AND d.next_attempt_at <= now() AND e.status = 'enabled'`,
    [id],
  );
  return rows[0];
}

/** Pending deliveries of enabled endpoints across tenants (due now or later), for the queue's recovery. */
export async function pendingDeliveries(db: Queryable): Promise<{ id: string; next_attempt_at: Date }[]> {
  const { rows } = await db.query<{ id: string; next_attempt_at: Date }>(
    `SELECT d.id, d.next_attempt_at FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
      WHERE d.status = 'pending' AND e.status = 'enabled'`,
  );
  return rows;
}

/** When the next pending delivery of an enabled endpoint falls due, across tenants; null when none waits. */
export async function nextDueAt(tx: Queryable): Promise<Date | null> {
  const { rows } = await tx.query<{ at: Date | null }>(
    `SELECT min(d.next_attempt_at) AS at FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
      WHERE d.status = 'pending' AND e.status = 'enabled'`,
  );
  return rows[0]?.at ?? null;
}

export interface AttemptOutcome {
  readonly attempt: number;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
}

/** Logs one attempt (once: a second worker that sent the same attempt after a lost lease adds nothing). */
export async function insertAttempt(tx: Queryable, tenantId: string, id: string, o: AttemptOutcome): Promise<void> {
  await tx.query(
    `INSERT INTO webhook_delivery_attempts (delivery_id, tenant_id, attempt, status_code, error, duration_ms)
     SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = $1)
     ON CONFLICT (delivery_id, attempt) DO NOTHING`,
    [id, tenantId, o.attempt, o.statusCode, o.error?.slice(0, 2000) ?? null, o.durationMs],
  );
}

/**
 * Records the result on the delivery: delivered, pending again after `retryInMs`, or failed (retryInMs null).
 * False when the delivery no longer exists (its endpoint was deleted meanwhile).
 */
export async function updateDelivery(
  tx: Queryable,
  id: string,
  o: AttemptOutcome & { delivered: boolean; retryInMs: number | null },
): Promise<boolean> {
  const status = o.delivered ? 'delivered' : o.retryInMs === null ? 'failed' : 'pending';
  const { rowCount } = await tx.query(
    `UPDATE webhook_deliveries
        SET status = $2, attempts = GREATEST(attempts, $3), last_status_code = $4, last_error = $5,
            delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END,
            next_attempt_at = now() + COALESCE($6, 0) * interval '1 millisecond'
      WHERE id = $1 AND status = 'pending'`,
    [id, status, o.attempt, o.statusCode, o.error?.slice(0, 2000) ?? null, o.retryInMs],
  );
  return rowCount === 1;
}

/** Resets the endpoint's run of failures after a success. */
export async function endpointSucceeded(tx: Queryable, endpointId: string): Promise<void> {
  await tx.query(
    `UPDATE webhook_endpoints SET failure_count = 0, first_failure_at = NULL
      WHERE id = $1 AND failure_count > 0`,
    [endpointId],
  );
}

/** Counts a failure on the endpoint; returns its run of failures (count and how long it has lasted). */
export async function endpointFailed(
  tx: Queryable,
  endpointId: string,
): Promise<{ failure_count: number; failing_ms: number; status: string } | undefined> {
  const { rows } = await tx.query<{ failure_count: number; failing_ms: number; status: string }>(
    `UPDATE webhook_endpoints
        SET failure_count = failure_count + 1, first_failure_at = COALESCE(first_failure_at, now())
      WHERE id = $1
      RETURNING failure_count, status,
                (extract(epoch FROM now() - first_failure_at) * 1000)::float8 AS failing_ms`,
    [endpointId],
  );
  return rows[0];
}

/** Disables an enabled endpoint and fails its pending deliveries; false when it was already disabled. */
export async function disableEndpoint(tx: Queryable, endpointId: string, reason: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = $2, updated_at = now()
      WHERE id = $1 AND status = 'enabled'`,
    [endpointId, reason],
  );
  if (rowCount !== 1) return false;
  await tx.query(
    `UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint disabled'
      WHERE endpoint_id = $1 AND status = 'pending'`,
    [endpointId],
  );
  return true;
}

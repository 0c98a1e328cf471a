import type { Queryable } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';

export type WebhookStatus = 'received' | 'processed' | 'ignored' | 'failed';

/** A webhook_events row without its raw body. */
export interface WebhookEventRow {
  id: string;
  provider: string;
  provider_header: string | null;
  event_type: string | null;
  external_id: string | null;
  payload: Record<string, unknown> | null;
  signed_with: 'active' | 'previous';
  status: WebhookStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  received_at: Date;
  processed_at: Date | null;
}

const COLUMNS = `id, provider, provider_header, event_type, external_id, payload, signed_with, status, attempts,
  next_attempt_at, last_error, received_at, processed_at`;

/** Claims a nonce; false when it was used before (a replay). */
export async function claimNonce(tx: Tx, nonce: string, timestamp: number, provider: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO webhook_nonces (nonce, ts, provider) VALUES ($1, to_timestamp($2), $3)
     ON CONFLICT (nonce) DO NOTHING`,
    [nonce, timestamp, provider],
  );
  return rowCount === 1;
}

export interface NewWebhookEvent {
  readonly id: string;
  readonly provider: string;
  readonly providerHeader: string | null;
  readonly eventType: string | null;
  readonly externalId: string | null;
  readonly payload: Record<string, unknown> | null;
  readonly rawBody: Buffer;
  readonly signedWith: 'active' | 'previous';
  readonly status: 'received' | 'failed';
  readonly lastError: string | null;
}

export async function insertWebhookEvent(tx: Tx, e: NewWebhookEvent): Promise<void> {
  await tx.query(
    `INSERT INTO webhook_events (id, provider, provider_header, event_type, external_id, payload, raw_body,
       signed_with, status, last_error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      e.id,
      e.provider,
      e.providerHeader,
      e.eventType,
      e.externalId,
      e.payload === null ? null : JSON.stringify(e.payload),
      e.rawBody,
      e.signedWith,
      e.status,
      e.lastError,
    ],
  );
}

/** Locks event `id` when it is due for processing; undefined when it is not (done, not yet due, or held). */
export async function claimEvent(tx: Tx, id: string): Promise<WebhookEventRow | undefined> {
  const { rows } = await tx.query<WebhookEventRow>(
    `SELECT ${COLUMNS} FROM webhook_events
      WHERE id = $1 AND status = 'received' AND next_attempt_at <= now() FOR UPDATE SKIP LOCKED`,
    [id],
  );
  return rows[0];
}

/** Events waiting to be processed (due now or later), for the queue's recovery. */
export async function waitingEvents(db: Queryable): Promise<{ id: string; next_attempt_at: Date }[]> {
  const { rows } = await db.query<{ id: string; next_attempt_at: Date }>(
    `SELECT id, next_attempt_at FROM webhook_events WHERE status = 'received'`,
  );
  return rows;
}

/** Ends processing of an event: processed, ignored or failed for good. */
export async function finishEvent(
  tx: Tx,
  id: string,
  status: 'processed' | 'ignored' | 'failed',
  attempts: number,
  lastError: string | null,
): Promise<void> {
  await tx.query(
    `UPDATE webhook_events SET status = $2, attempts = $3, last_error = $4, processed_at = now() WHERE id = $1`,
    [id, status, attempts, lastError],
  );
}

/** Records a failed attempt and when to try again. */
export async function scheduleRetry(
  tx: Tx,
  id: string,
  attempts: number,
  delayMs: number,
  lastError: string,
): Promise<void> {
  await tx.query(
    `UPDATE webhook_events SET attempts = $2, last_error = $3, next_attempt_at = now() + make_interval(secs => $4)
      WHERE id = $1`,
    [id, attempts, lastError, delayMs / 1000],
  );
}

/** Events still waiting (due or scheduled for a retry). */
export async function countWaiting(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM webhook_events WHERE status = 'received'`,
  );
  return rows[0]?.n ?? 0;
}

/** Forgets nonces whose signed timestamp is older than `seconds`: a replay of them fails the skew check. */
export async function pruneNonces(db: Queryable, seconds: number): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM webhook_nonces WHERE ts < now() - make_interval(secs => $1)`, [
    seconds,
  ]);
  return rowCount ?? 0;
}

export interface WebhookEventFilter {
  readonly status: WebhookStatus | undefined;
  readonly provider: string | undefined;
  /** Continue after (older than) this id. */
  readonly before: string | null;
  readonly limit: number;
}

/** Events newest first, filtered; fetches `limit + 1` rows for toPage. */
export async function listWebhookEvents(tx: Tx, f: WebhookEventFilter): Promise<WebhookEventRow[]> {
  const { rows } = await tx.query<WebhookEventRow>(
    `SELECT ${COLUMNS} FROM webhook_events
      WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR provider = $2)
        AND ($3::uuid IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4`,
    [f.status ?? null, f.provider ?? null, f.before, f.limit + 1],
  );
  return rows;
}

/** One event, locked for an update. */
export async function lockWebhookEvent(tx: Tx, id: string): Promise<WebhookEventRow | undefined> {
  const { rows } = await tx.query<WebhookEventRow>(`SELECT ${COLUMNS} FROM webhook_events WHERE id = $1 FOR UPDATE`, [
    id,
  ]);
  return rows[0];
}

/** Puts an event back in the queue, due now, with a fresh attempt count. */
export async function requeueEvent(tx: Tx, id: string): Promise<WebhookEventRow | undefined> {
  const { rows } = await tx.query<WebhookEventRow>(
    `UPDATE webhook_events SET status = 'received', attempts = 0, next_attempt_at = now(), processed_at = NULL
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0];
}

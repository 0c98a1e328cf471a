import type { Queryable } from '../../../platform/db/database.ts';

// Every query here runs on the system pool (no row-level security): these are the cross-tenant reads of the jobs
// and of processor events, and they return tenant ids so that the work itself runs in each tenant's context.

/**
 * An authorization the sweeper acts on; `order_completed`: it pays an order that was completed; `orphaned`: a
 * sale's card (its key names the order, `order:<id>:tender:…`) whose order was never saved.
 */
export interface StaleAuthorization {
  id: string;
  tenant_id: string;
  order_completed: boolean;
  orphaned: boolean;
}

/**
 * Authorized intents to settle, oldest first: those of a completed order once `captureAfterMinutes` have passed
 * (their capture failed after the sale), a sale's card whose order was never saved once `orphanAfterMinutes` have
 * (the sale's request died between the authorization and the save; its order id is unknown to `orders`), every
 * other one after `voidAfterMinutes`. An order links its intents in the transaction that saves it, so an intent of
 * a sale without `order_id` has no order.
 */
export async function findStaleAuthorizations(
  db: Queryable,
  limits: { voidAfterMinutes: number; captureAfterMinutes: number; orphanAfterMinutes: number; batch: number },
): Promise<StaleAuthorization[]> {
  const { rows } = await db.query<StaleAuthorization>(
    `SELECT id, tenant_id, order_completed, orphaned FROM (
       SELECT i.id, i.tenant_id, i.authorized_at, coalesce(o.status = 'completed', false) AS order_completed,
              (i.order_id IS NULL AND i.idempotency_key LIKE 'order:%') AS orphaned
         FROM payment_intents i
         LEFT JOIN orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id
        WHERE i.state = 'authorized') s
      WHERE s.authorized_at < now() - make_interval(mins => CASE WHEN s.order_completed THEN $2::int
                                                                 WHEN s.orphaned THEN $3::int ELSE $1::int END)
      ORDER BY s.authorized_at LIMIT $4`,
    [limits.voidAfterMinutes, limits.captureAfterMinutes, limits.orphanAfterMinutes, limits.batch],
  );
  return rows;
}

/** The intents carrying a processor reference (normally one). */
export async function findIntentsByProviderRef(
  db: Queryable,
  providerRef: string,
): Promise<{ id: string; tenant_id: string }[]> {
  const { rows } = await db.query<{ id: string; tenant_id: string }>(
    'SELECT id, tenant_id FROM payment_intents WHERE provider_ref = $1 LIMIT 2',
    [providerRef],
  );
  return rows;
}

/** One of our money movements of a day, keyed like a settlement line. */
export interface OurMovement {
  type: 'capture' | 'refund';
  provider_ref: string;
  tenant_id: string;
  cents: number;
}

// A UTC day as a timestamptz range, whatever the session's time zone.
const DAY = `($1::date)::timestamp AT TIME ZONE 'UTC'`;

/** Captures (by capture time) and refunds (summed per intent, by refund time) of a UTC day, every tenant. */
export async function movementsOfDay(db: Queryable, date: string): Promise<OurMovement[]> {
  const { rows } = await db.query<OurMovement>(
    `SELECT 'capture' AS type, provider_ref, tenant_id, captured_cents AS cents FROM payment_intents
      WHERE provider_ref IS NOT NULL AND captured_at >= ${DAY} AND captured_at < ${DAY} + interval '1 day'
     UNION ALL
     SELECT 'refund', i.provider_ref, r.tenant_id, sum(r.amount_cents)::bigint FROM payment_refunds r
       JOIN payment_intents i ON i.tenant_id = r.tenant_id AND i.id = r.intent_id
      WHERE i.provider_ref IS NOT NULL AND r.created_at >= ${DAY} AND r.created_at < ${DAY} + interval '1 day'
      GROUP BY i.provider_ref, r.tenant_id`,
    [date],
  );
  return rows;
}

export interface ReconciliationRunRow {
  date: string;
  run_at: Date;
  matched: number;
  drift: number;
  details: unknown;
}

/** Stores the run of a day, replacing an earlier run of the same day. */
export async function saveReconciliationRun(
  db: Queryable,
  run: { date: string; matched: number; drift: number; details: unknown },
): Promise<ReconciliationRunRow> {
  const { rows } = await db.query<ReconciliationRunRow>(
    `INSERT INTO reconciliation_runs (date, matched, drift, details) VALUES ($1, $2, $3, $4)
     ON CONFLICT (date) DO UPDATE SET run_at = now(), matched = $2, drift = $3, details = $4
     RETURNING to_char(date, 'YYYY-MM-DD') AS date, run_at, matched, drift, details`,
    [run.date, run.matched, run.drift, JSON.stringify(run.details)],
  );
  return rows[0] as ReconciliationRunRow;
}

export async function findReconciliationRun(db: Queryable, date: string): Promise<ReconciliationRunRow | undefined> {
  const { rows } = await db.query<ReconciliationRunRow>(
    `SELECT to_char(date, 'YYYY-MM-DD') AS date, run_at, matched, drift, details
       FROM reconciliation_runs WHERE date = $1`,
    [date],
  );
  return rows[0];
}

/** The drift of the latest reconciled day (0 before the first run). */
export async function latestDrift(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ drift: number }>(
    'SELECT drift FROM reconciliation_runs ORDER BY date DESC LIMIT 1',
  );
  return rows[0]?.drift ?? 0;
}

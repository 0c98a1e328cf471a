// A declared read model (docs/architecture.md, "Table owners"): the stuck-order watchdog reads, never writes, rows
// of orders (orders), payment_intents (payments) and idempotency_keys (platform), across tenants, on the system pool.
import type { Queryable } from '../../platform/db/database.ts';

/** What a sale can be stuck in (the `kind` label of `orders_stuck`). */
export const STUCK_KINDS = [
  'authorization_without_order',
  'authorization_not_captured',
  'open_with_tenders',
  'sale_interrupted',
] as const;
export type StuckKind = (typeof STUCK_KINDS)[number];

/** One stuck thing: its kind, its tenant, what it is (an order or intent id, or an idempotency key) and since when. */
export interface StuckItem {
  kind: StuckKind;
  tenant_id: string;
  ref: string;
  since: Date;
}

/*
 * Each kind, older than $1 minutes, all from partial indexes (payment_intents_authorized, orders_open_paid,
 * idempotency_keys_in_progress), so a scrape reads a handful of rows:
 * - authorization_without_order: a sale's card authorized (its key names the order) whose order was never saved;
 *   payments.auto_void voids it after PAYMENT_ORPHAN_AUTH_MINUTES: still here, the void is failing;
 * - authorization_not_captured: a completed order's card still only authorized; auto_void captures it after
 *   2 minutes: still here, the capture is failing;
 * - open_with_tenders: an order left open with money taken (a card declined in a split, a sale abandoned);
 *   a person finishes it (pay the rest) or cancels it with a refund;
 * - sale_interrupted: a sale's request died with its server (its key's lease ran out) and no retry came to
 *   take it over: the till that sent it was reset or lost it. Whether the order exists says what happened.
 */
const STUCK_SQL = `
  SELECT 'authorization_without_order' AS kind, tenant_id, id::text AS ref, authorized_at AS since
    FROM payment_intents
   WHERE state = 'authorized' AND order_id IS NULL AND idempotency_key LIKE 'order:%'
     AND authorized_at < now() - make_interval(mins => $1::int)
  UNION ALL
  SELECT 'authorization_not_captured', i.tenant_id, i.id::text, i.authorized_at
    FROM payment_intents i JOIN orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id
   WHERE i.state = 'authorized' AND o.status = 'completed'
     AND i.authorized_at < now() - make_interval(mins => $1::int)
  UNION ALL
  SELECT 'open_with_tenders', tenant_id, id::text, created_at
    FROM orders
   WHERE status = 'open' AND paid_cents > 0 AND created_at < now() - make_interval(mins => $1::int)
  UNION ALL
  SELECT 'sale_interrupted', tenant_id, key, lease_until
    FROM idempotency_keys
   WHERE status = 'in_progress' AND path LIKE '/v1/orders%'
     AND lease_until < now() - make_interval(mins => $1::int)`;

/** Every stuck item, oldest first within its kind, at most `limit` per statement (the watchdog's report). */
export async function findStuck(db: Queryable, stuckAfterMinutes: number, limit: number): Promise<StuckItem[]> {
  const { rows } = await db.query<StuckItem>(`${STUCK_SQL} ORDER BY kind, since LIMIT $2`, [stuckAfterMinutes, limit]);
  return rows;
}

/** How many of each kind are stuck now, and the oldest one's age in seconds (the gauges). */
export async function countStuck(
  db: Queryable,
  stuckAfterMinutes: number,
): Promise<{ kind: StuckKind; count: number; oldest_seconds: number }[]> {
  const { rows } = await db.query<{ kind: StuckKind; count: number; oldest_seconds: number }>(
    `SELECT kind, count(*)::int AS count, extract(epoch FROM now() - min(since))::float8 AS oldest_seconds
       FROM (${STUCK_SQL}) s GROUP BY kind`,
    [stuckAfterMinutes],
  );
  return rows;
}

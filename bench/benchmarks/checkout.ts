import pg from 'pg';
import { runLoad, type LoadResult } from '../lib/load.ts';
import { runPgbench, type PgbenchResult } from '../lib/pgbench.ts';
import { sampleRss } from '../lib/server.ts';
import { computeTotal, type BenchShop } from '../lib/shop.ts';
import { percentile, round } from '../lib/stats.ts';

/** One concurrency of the checkout benchmark, with pgbench's TPS at the same concurrency just before. */
export interface CheckoutRun {
  readonly concurrency: number;
  readonly pgbench: PgbenchResult;
  readonly load: Omit<LoadResult, 'createdIds' | 'unansweredIds'>;
  /** sales/s ÷ pgbench TPS (goal at c16: ≥ 0.7). */
  readonly ratioToPgbench: number;
  readonly rssMb: { readonly max: number; readonly p50: number; readonly samples: number };
}

/** The carts sold in rotation: 3 lines each over the stocked SKUs, paid in cash to the cent. */
export async function checkoutBodies(shop: BenchShop): Promise<Record<string, unknown>[]> {
  const bodies: Record<string, unknown>[] = [];
  for (let k = 0; k < shop.skus.length; k++) {
    const items = [0, 1, 2].map((j) => ({
      sku: shop.skus[(k + j) % shop.skus.length] ?? '',
      quantity: 1 + ((k + j) % 3),
    }));
    const total = await computeTotal(shop, items);
    bodies.push({ items, tenders: [{ method: 'cash', amount_cents: total }] });
  }
  return bodies;
}

/**
 * pgbench at concurrency `c`, then complete cash sales over HTTP from a separate load process spread over the
 * shop's registers, while the server's RSS is sampled every 250 ms.
 */
export async function benchCheckout(
  shop: BenchShop,
  bodies: readonly Record<string, unknown>[],
  pgbenchUrl: string,
  serverPid: number,
  c: number,
  warmupSeconds: number,
  seconds: number,
): Promise<{ run: CheckoutRun; createdIds: readonly string[]; unansweredIds: readonly string[] }> {
  const pgbench = await runPgbench(pgbenchUrl, c, seconds);
  const rss = sampleRss(serverPid);
  const { createdIds, unansweredIds, ...load } = await runLoad({
    kind: 'checkout',
    url: shop.url,
    path: '/v1/orders/sku',
    token: shop.token,
    connections: c,
    warmupSeconds,
    seconds,
    bodies,
    registerIds: shop.registerIds,
  });
  const samples = rss.stop();
  return {
    run: {
      concurrency: c,
      pgbench,
      load,
      ratioToPgbench: round(load.okPerSecond / pgbench.tps, 3),
      rssMb: {
        max: round(Math.max(0, ...samples), 1),
        p50: round(percentile(samples, 50), 1),
        samples: samples.length,
      },
    },
    createdIds,
    unansweredIds,
  };
}

/** What the verification found; `errors` empty means every counted sale exists once and stock agrees. */
export interface Verification {
  readonly counted201: number;
  readonly completedOrders: number;
  /** Completed orders from requests cut off at a phase's end (answer never read; not counted as sales). */
  readonly completedUnanswered: number;
  /** Completed orders on the bench registers that are neither a counted sale nor a cut-off request: must be 0. */
  readonly unexplainedOrders: number;
  readonly ordersFoundById: number;
  readonly auditEvents: number;
  readonly outboxEvents: number;
  readonly receiptNumberGaps: number;
  readonly stockMismatches: number;
  readonly errors: readonly string[];
}

/**
 * Checks behind the app's back (owner connection): the completed orders on the bench registers are exactly the
 * 201s counted (each client id once), each has its audit event and outbox event, receipt numbers run 1..n per
 * register without gaps, and for every variant and location SUM(stock_movements.delta) = stock_levels.on_hand.
 */
export async function verifyCheckout(
  shop: BenchShop,
  createdIds: readonly string[],
  unansweredIds: readonly string[],
): Promise<Verification> {
  const db = new pg.Client({ connectionString: shop.ownerUrl });
  await db.connect();
  try {
    const errors: string[] = [];
    const unique = new Set(createdIds);
    if (unique.size !== createdIds.length)
      errors.push(`${createdIds.length - unique.size} client ids answered 201 twice`);
    const regs = [...shop.registerIds];
    const one = async (sql: string, params: unknown[]): Promise<number> =>
      (await db.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0;
    const completedOrders = await one(
      `SELECT count(*)::int AS n FROM orders WHERE register_id = ANY($1::uuid[]) AND status = 'completed'`,
      [regs],
    );
    const ordersFoundById = await one(
      `SELECT count(*)::int AS n FROM orders WHERE id = ANY($1::uuid[]) AND status = 'completed'`,
      [[...unique]],
    );
    // A cut-off id may also have been answered (autocannon can read an answer after the phase's snapshot), so the
    // expected orders are the union of counted sales and cut-off requests that completed.
    const cutOff = unansweredIds.filter((id) => !unique.has(id));
    const completedUnanswered = await one(
      `SELECT count(*)::int AS n FROM orders WHERE id = ANY($1::uuid[]) AND status = 'completed'`,
      [cutOff],
    );
    const unexplainedOrders = await one(
      `SELECT count(*)::int AS n FROM orders WHERE register_id = ANY($1::uuid[]) AND status = 'completed'
          AND NOT (id = ANY($2::uuid[])) AND NOT (id = ANY($3::uuid[]))`,
      [regs, [...unique], [...unansweredIds]],
    );
    const auditEvents = await one(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'order.completed' AND entity_id = ANY($1::text[])`,
      [[...unique]],
    );
    const outboxEvents = await one(
      `SELECT count(*)::int AS n FROM outbox WHERE topic = 'order.completed' AND tenant_id = $1
         AND payload->>'order_id' = ANY($2::text[])`,
      [shop.tenantId, [...unique]],
    );
    const receiptNumberGaps = await one(
      `SELECT count(*)::int AS n FROM (SELECT register_id FROM orders WHERE register_id = ANY($1::uuid[]) AND number IS NOT NULL
         GROUP BY register_id HAVING max(number) <> count(*) OR count(DISTINCT number) <> count(*)) g`,
      [regs],
    );
    const stockMismatches = await one(
      `SELECT count(*)::int AS n FROM stock_levels l
         LEFT JOIN (SELECT variant_id, location_id, sum(delta) AS total FROM stock_movements GROUP BY 1, 2) m
           ON m.variant_id = l.variant_id AND m.location_id = l.location_id
        WHERE l.on_hand <> coalesce(m.total, 0)`,
      [],
    );
    if (completedOrders !== unique.size + completedUnanswered || unexplainedOrders > 0) {
      errors.push(
        `${completedOrders} completed orders for ${unique.size} sales counted + ${completedUnanswered} cut off`,
      );
    }
    if (ordersFoundById !== unique.size)
      errors.push(`only ${ordersFoundById} of ${unique.size} counted sales found by id`);
    if (unique.size === 0) errors.push('no sale succeeded');
    if (auditEvents !== unique.size)
      errors.push(`${auditEvents} order.completed audit events for ${unique.size} sales`);
    if (outboxEvents !== unique.size)
      errors.push(`${outboxEvents} order.completed outbox events for ${unique.size} sales`);
    if (receiptNumberGaps > 0) errors.push(`${receiptNumberGaps} registers with gaps or repeats in receipt numbers`);
    if (stockMismatches > 0) errors.push(`${stockMismatches} stock levels disagree with their ledger`);
    return {
      counted201: createdIds.length,
      completedOrders,
      completedUnanswered,
      unexplainedOrders,
      ordersFoundById,
      auditEvents,
      outboxEvents,
      receiptNumberGaps,
      stockMismatches,
      errors,
    };
  } finally {
    await db.end();
  }
}

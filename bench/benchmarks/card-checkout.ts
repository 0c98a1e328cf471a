import pg from 'pg';
import { CLI, spawnServer, type ChildServer } from '../lib/server.ts';
import { computeTotal, type BenchShop } from '../lib/shop.ts';
import { verifyCheckout, type CheckoutRun, type Verification } from './checkout.ts';

/**
 * The card-processor simulator (`novapos gateway-sim`) as a child process of its own, on a free port and without a
 * state file (it keeps authorizations in memory: a state file would be rewritten after every change). Start it
 * before the server, whose GATEWAY_URL is its `url`.
 */
export function startGatewaySim(): Promise<ChildServer> {
  return spawnServer(
    [CLI, 'gateway-sim', '--port', '0'],
    { ...process.env, LOG_LEVEL: 'warn' },
    /gateway-sim listening on (http:\/\/\S+)/,
  );
}

/** The checkout benchmark's carts (3 lines over the stocked SKUs), each paid by one card for its exact total. */
export async function cardCheckoutBodies(shop: BenchShop): Promise<Record<string, unknown>[]> {
  const bodies: Record<string, unknown>[] = [];
  for (let k = 0; k < shop.skus.length; k++) {
    const items = [0, 1, 2].map((j) => ({
      sku: shop.skus[(k + j) % shop.skus.length] ?? '',
      quantity: 1 + ((k + j) % 3),
    }));
    const total = await computeTotal(shop, items);
    const card_token = k % 2 === 0 ? 'tok_visa' : 'tok_mastercard';
    bodies.push({ items, tenders: [{ method: 'card', amount_cents: total, card_token }] });
  }
  return bodies;
}

/** The checkout verification, plus the card's side: the intents in the database and what the processor holds. */
export interface CardVerification extends Verification {
  /** Counted sales paid by exactly one card tender whose intent is captured for the order's total. */
  readonly salesWithCapturedIntent: number;
  /** Authorizations the simulator holds, and how many of them are captured. */
  readonly processorAuthorizations: number;
  readonly processorCaptured: number;
  /** Intents (any tenant: the simulator is the benchmark's own) whose provider_ref the simulator does not hold
   *  with the same state and captured amount, plus simulator authorizations no intent names. Must be 0. */
  readonly processorMismatches: number;
}

interface SimAuthorization {
  readonly provider_ref: string;
  readonly status: string;
  readonly amount_cents: number;
  readonly captured_cents: number;
}

const authorizationsOf = async (gatewayUrl: string): Promise<SimAuthorization[]> =>
  ((await (await fetch(`${gatewayUrl}/v1/authorizations`)).json()) as { data: SimAuthorization[] }).data;

/**
 * The simulator's authorizations once the requests cut off at the phase's end have finished on the server: the
 * same answer twice, 500 ms apart, with nothing authorized and not yet captured (at most 15 s).
 */
async function settledAuthorizations(gatewayUrl: string): Promise<SimAuthorization[]> {
  const key = (list: SimAuthorization[]): string => list.map((a) => `${a.provider_ref}:${a.status}`).join();
  let previous = await authorizationsOf(gatewayUrl);
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await authorizationsOf(gatewayUrl);
    if (key(now) === key(previous) && !now.some((a) => a.status === 'authorized')) return now;
    previous = now;
  }
  return previous;
}

/**
 * verifyCheckout (each counted sale once, audit and outbox, receipt numbers, stock = ledger), then: each counted
 * sale has one card tender whose intent is `captured` for the order's total, and the simulator's authorizations
 * and the database's intents agree one to one on provider reference, state and captured amount — no
 * authorization the database does not know of, none left uncaptured, none captured twice.
 */
export async function verifyCardCheckout(
  shop: BenchShop,
  createdIds: readonly string[],
  unansweredIds: readonly string[],
  gatewayUrl: string,
): Promise<CardVerification> {
  const held = await settledAuthorizations(gatewayUrl);
  const base = await verifyCheckout(shop, createdIds, unansweredIds);
  const errors = [...base.errors];
  const db = new pg.Client({ connectionString: shop.ownerUrl });
  await db.connect();
  try {
    const unique = [...new Set(createdIds)];
    const paid = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM orders o
        WHERE o.id = ANY($1::uuid[]) AND o.status = 'completed'
          AND (SELECT count(*) FROM order_tenders t WHERE t.order_id = o.id) = 1
          AND EXISTS (SELECT 1 FROM order_tenders t JOIN payment_intents i ON i.id = t.payment_intent_id
                       WHERE t.order_id = o.id AND t.method = 'card' AND t.applied_cents = o.total_cents
                         AND i.state = 'captured' AND i.captured_cents = o.total_cents
                         AND i.amount_cents = o.total_cents AND i.order_id = o.id)`,
      [unique],
    );
    const salesWithCapturedIntent = paid.rows[0]?.n ?? 0;
    const intents = await db.query<{ provider_ref: string; state: string; captured_cents: string }>(
      `SELECT provider_ref, state, captured_cents FROM payment_intents WHERE provider_ref IS NOT NULL`,
    );
    const bySim = new Map(held.map((a) => [a.provider_ref, a]));
    let processorMismatches = 0;
    for (const i of intents.rows) {
      const a = bySim.get(i.provider_ref);
      if (a?.status !== i.state || a.captured_cents !== Number(i.captured_cents)) processorMismatches++;
      bySim.delete(i.provider_ref);
    }
    processorMismatches += bySim.size;
    const processorCaptured = held.filter((a) => a.status === 'captured').length;
    if (salesWithCapturedIntent !== unique.length) {
      errors.push(`${unique.length - salesWithCapturedIntent} card sales without one captured intent for their total`);
    }
    if (processorMismatches > 0) {
      errors.push(`${processorMismatches} authorizations differ between the processor and the payment intents`);
    }
    if (held.some((a) => a.status === 'authorized')) {
      errors.push(`${held.filter((a) => a.status === 'authorized').length} authorizations left uncaptured`);
    }
    return {
      ...base,
      errors,
      salesWithCapturedIntent,
      processorAuthorizations: held.length,
      processorCaptured,
      processorMismatches,
    };
  } finally {
    await db.end();
  }
}

const status = (ok: boolean, quick: boolean): string => (quick ? 'not judged (quick)' : ok ? 'met' : 'MISSED');

/** Rows for the results table: Benchmark | Result | Goal | Status. */
export function cardCheckoutRows(run: CheckoutRun, v: CardVerification, quick: boolean): string[][] {
  const c = run.concurrency;
  return [
    [
      `checkout (card), c${c}`,
      `${run.load.okPerSecond} sales/s vs pgbench ${run.pgbench.tps} TPS = ${run.ratioToPgbench}×; ` +
        `p50 ${run.load.p50Ms} / p95 ${run.load.p95Ms} / p99 ${run.load.p99Ms} ms; server RSS max ${run.rssMb.max} MB`,
      c === 16 ? '≥ 0.5× pgbench' : '(reference)',
      quick ? status(true, true) : c === 16 ? status(run.ratioToPgbench >= 0.5, false) : '—',
    ],
    [
      'card checkout verification',
      `${v.counted201} sales counted; ${v.completedOrders} completed orders (${v.completedUnanswered} cut off, ` +
        `${v.unexplainedOrders} unexplained), ${v.ordersFoundById} found by id, ${v.auditEvents} audit, ` +
        `${v.outboxEvents} outbox; ${v.salesWithCapturedIntent} with a captured intent for their total; processor: ` +
        `${v.processorAuthorizations} authorizations, ${v.processorCaptured} captured, ${v.processorMismatches} ` +
        `differing from the intents; receipt-number gaps ${v.receiptNumberGaps}; stock≠ledger ${v.stockMismatches}`,
      'all equal, 0, 0',
      v.errors.length === 0 ? 'passed' : `FAILED: ${v.errors.join('; ')}`,
    ],
  ];
}

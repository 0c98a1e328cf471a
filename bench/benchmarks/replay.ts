/**
 * Replay of offline queues (issue 13 §3): `tills` registers, each with a device key registered as the till does at
 * set-up, each with a queue of `perTill` cash sales made "offline" (signed, numbered 1..n, price-locked), sent the
 * way the till's `flushQueue` sends them: oldest first, one at a time per till, every till at once. Then every
 * queue is sent a second time (each answer "lost") and each sale must come back as its first order.
 *
 * The figure is the wall time from the first send to the last answer of the first pass; the queues are built and
 * signed before the clock starts (a till signs a sale when it queues it, not when it replays it).
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { offlineSigningPayload } from '@novapos/domain';
import pg from 'pg';
import type { BenchShop } from '../lib/shop.ts';
import { round, uuidv7 } from '../lib/stats.ts';

export interface ReplayResult {
  readonly tills: number;
  readonly salesPerTill: number;
  readonly sales: number;
  readonly seconds: number;
  readonly salesPerSecond: number;
  /** The second pass: every sale sent again after its answer was "lost". */
  readonly resendSeconds: number;
  /** The third pass: every sale sent again under a new client id. */
  readonly requeueSeconds: number;
  readonly verification: ReplayVerification;
}

export interface ReplayVerification {
  /** First pass: 201 answers (each a new order). */
  readonly created: number;
  /** Second pass (same client ids, every answer lost): answers naming the sale's own order. */
  readonly resent: number;
  /** Third pass (new client ids, as from a second tab or a restored backup): 200 answers naming the first order. */
  readonly requeued: number;
  /** Orders of the bench tills in the database, and how many client ids appear more than once (must be 0). */
  readonly ordersInDatabase: number;
  readonly duplicates: number;
  /** Sales accepted per device whose sequence numbers are not exactly 1..n (must be 0). */
  readonly sequenceErrors: number;
  readonly gapsReported: number;
  readonly errors: readonly string[];
}

interface Till {
  readonly registerId: string;
  readonly deviceId: string;
  readonly queue: readonly Record<string, unknown>[];
}

async function call(
  shop: BenchShop,
  method: string,
  route: string,
  body: unknown,
  idempotencyKey?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${shop.token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
  const res = await fetch(`${shop.url}${route}`, {
    method,
    headers,
    body: body === undefined ? null : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const base64url = (bytes: Buffer): string => bytes.toString('base64url');

/** The device's public key as the till sends it: the raw 32 bytes of the Ed25519 key, base64url. */
function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return jwk.x;
}

/** The variants the carts are made of, with their ids (the till sells by variant id). */
async function variantsOf(shop: BenchShop): Promise<string[]> {
  const db = new pg.Client({ connectionString: shop.ownerUrl });
  await db.connect();
  try {
    const rows = await db.query<{ id: string }>(
      'SELECT id FROM product_variants WHERE tenant_id = $1 AND sku = ANY($2::text[]) ORDER BY sku',
      [shop.tenantId, [...shop.skus]],
    );
    return rows.rows.map((r) => r.id);
  } finally {
    await db.end();
  }
}

/** The carts in rotation with the till's price lock, priced once each by the server's compute. */
async function lockedCarts(shop: BenchShop, variants: readonly string[]) {
  const carts = [];
  for (let k = 0; k < variants.length; k++) {
    const items = [0, 1, 2].map((j) => ({ variant_id: variants[(k + j) % variants.length] ?? '', quantity: 1 + j }));
    const priced = await call(shop, 'POST', '/v1/orders/compute', { items, register_id: shop.registerIds[0] });
    if (priced.status !== 200) throw new Error(`compute → ${priced.status}`);
    const lines = priced.body['items'] as { unit_price_cents: number }[];
    const total = priced.body['total_cents'] as number;
    carts.push({
      items,
      total,
      price_lock: {
        lines: items.map((item, i) => ({
          variant_id: item.variant_id,
          unit_price_cents: lines[i]?.unit_price_cents ?? 0,
        })),
        tax_rate_bps: priced.body['tax_rate_bps'] as number,
        total_cents: total,
      },
    });
  }
  return carts;
}

/** Registers a device per till (its key made here, as the till makes its own) and builds its signed queue. */
async function prepareTills(shop: BenchShop, tills: number, perTill: number): Promise<Till[]> {
  const carts = await lockedCarts(shop, await variantsOf(shop));
  const out: Till[] = [];
  // The outage began 8 hours ago; the sales are spread over it.
  const start = Date.now() - 8 * 3600_000;
  for (let t = 0; t < tills; t++) {
    const registerId = shop.registerIds[t];
    if (registerId === undefined) throw new Error('too few registers');
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const device = await call(shop, 'POST', `/v1/registers/${registerId}/devices`, {
      public_key: rawPublicKey(publicKey),
      label: `Bench till ${t + 1}`,
    });
    if (device.status !== 201) throw new Error(`device → ${device.status} ${JSON.stringify(device.body)}`);
    const deviceId = device.body['device_id'] as string;
    const queue: Record<string, unknown>[] = [];
    for (let seq = 1; seq <= perTill; seq++) {
      const cart = carts[(t + seq) % carts.length];
      if (cart === undefined) throw new Error('no carts');
      const body: Record<string, unknown> = {
        id: uuidv7(),
        register_id: registerId,
        items: cart.items,
        tenders: [{ method: 'cash', amount_cents: cart.total }],
        price_lock: cart.price_lock,
        offline: {
          device_id: deviceId,
          seq,
          created_at: new Date((start + (seq * 8 * 3600_000) / perTill) | 0).toISOString(),
        },
      };
      const signature = base64url(sign(null, Buffer.from(offlineSigningPayload(body), 'utf8'), privateKey));
      queue.push({ ...body, offline: { ...(body['offline'] as object), signature } });
    }
    out.push({ registerId, deviceId, queue });
  }
  return out;
}

/**
 * Sends every till's queue, oldest first, one at a time per till, all tills at once. `as` gives the client id a
 * sale is sent under (its own, or a new one: a second tab, a restored backup); `expect` says which answers count.
 */
async function flushAll(
  shop: BenchShop,
  tills: readonly Till[],
  as: (body: Record<string, unknown>) => string,
  expected: (sent: Record<string, unknown>, status: number, answer: Record<string, unknown>) => boolean,
): Promise<{ seconds: number; ok: number; firstError?: string }> {
  let ok = 0;
  let firstError: string | undefined;
  const started = performance.now();
  await Promise.all(
    tills.map(async (till) => {
      for (const body of till.queue) {
        const id = as(body);
        const res = await call(shop, 'POST', '/v1/orders', { ...body, id }, id);
        if (expected(body, res.status, res.body)) ok++;
        else firstError ??= `${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, ok, ...(firstError === undefined ? {} : { firstError }) };
}

/** Counts behind the app's back: one completed order per sale, sequences 1..n per device, no gap reported. */
async function verify(
  shop: BenchShop,
  tills: readonly Till[],
  passes: { created: number; resent: number; requeued: number; errors: readonly string[] },
): Promise<ReplayVerification> {
  const errors = [...passes.errors];
  const sales = tills.reduce((n, t) => n + t.queue.length, 0);
  const { created, resent, requeued } = passes;
  const db = new pg.Client({ connectionString: shop.ownerUrl });
  await db.connect();
  try {
    const registers = tills.map((t) => t.registerId);
    const ids = tills.flatMap((t) => t.queue.map((b) => b['id'] as string));
    const orders = await db.query<{ n: number; distinct_ids: number; found: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct_ids,
              count(*) FILTER (WHERE id = ANY($2::uuid[]) AND status = 'completed')::int AS found
         FROM orders WHERE register_id = ANY($1::uuid[])`,
      [registers, ids],
    );
    const row = orders.rows[0] ?? { n: 0, distinct_ids: 0, found: 0 };
    const duplicates = row.n - row.found;
    if (row.n !== sales || row.found !== sales)
      errors.push(`${row.n} orders on the bench tills, ${row.found} of ${sales} sales found`);
    const seqs = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT device_id FROM offline_sales WHERE device_id = ANY($1::uuid[]) AND status = 'accepted'
          GROUP BY device_id HAVING min(seq) <> 1 OR max(seq) <> count(*) OR count(DISTINCT seq) <> count(*)) d`,
      [tills.map((t) => t.deviceId)],
    );
    const sequenceErrors = seqs.rows[0]?.n ?? 0;
    if (sequenceErrors > 0) errors.push(`${sequenceErrors} devices with a broken sequence`);
    const attention = await call(shop, 'GET', '/v1/pos/attention', undefined);
    const gaps = (attention.body['gaps'] as { device_id: string }[] | undefined) ?? [];
    const devices = new Set(tills.map((t) => t.deviceId));
    const gapsReported = gaps.filter((g) => devices.has(g.device_id)).length;
    if (gapsReported > 0) errors.push(`${gapsReported} gaps reported`);
    return { created, resent, requeued, ordersInDatabase: row.n, duplicates, sequenceErrors, gapsReported, errors };
  } finally {
    await db.end();
  }
}

/**
 * The whole benchmark: prepare; first pass (timed); second pass (the same client ids: every answer was lost);
 * third pass (new client ids: a second tab, a restored backup), recognised by content hash; verification.
 */
export async function benchReplay(shop: BenchShop, tills: number, perTill: number): Promise<ReplayResult> {
  const prepared = await prepareTills(shop, tills, perTill);
  const sales = tills * perTill;
  const ownId = (body: Record<string, unknown>) => body['id'] as string;
  const first = await flushAll(shop, prepared, ownId, (_sent, status) => status === 201);
  const second = await flushAll(
    shop,
    prepared,
    ownId,
    (sent, status, answer) => status < 300 && answer['id'] === sent['id'],
  );
  const third = await flushAll(
    shop,
    prepared,
    () => uuidv7(),
    (sent, status, answer) => status === 200 && answer['id'] === sent['id'],
  );
  const errors: string[] = [];
  for (const [name, pass] of [
    ['first pass (new sales)', first],
    ['second pass (answers lost)', second],
    ['third pass (new client ids)', third],
  ] as const) {
    if (pass.ok !== sales)
      errors.push(`${name}: ${pass.ok} of ${sales} as expected; first other answer: ${pass.firstError ?? '-'}`);
  }
  const verification = await verify(shop, prepared, {
    created: first.ok,
    resent: second.ok,
    requeued: third.ok,
    errors,
  });
  return {
    tills,
    salesPerTill: perTill,
    sales,
    seconds: round(first.seconds, 2),
    salesPerSecond: round(sales / first.seconds, 1),
    resendSeconds: round(second.seconds, 2),
    requeueSeconds: round(third.seconds, 2),
    verification,
  };
}

/** The rows of the results table. */
export function replayRows(r: ReplayResult, quick: boolean): string[][] {
  const v = r.verification;
  const goal = r.sales >= 10_000 ? '< 15 s, 0 duplicates' : '(quick: correctness only)';
  return [
    [
      `offline replay, ${r.tills} tills × ${r.salesPerTill} queued sales`,
      `${r.seconds} s (${r.salesPerSecond} sales/s); sent again with every answer lost: ${r.resendSeconds} s; ` +
        `again under new client ids: ${r.requeueSeconds} s`,
      goal,
      quick || r.sales < 10_000 ? 'not judged (quick)' : r.seconds < 15 && v.duplicates === 0 ? 'met' : 'MISSED',
    ],
    [
      'offline replay verification',
      `${v.created} created; resent: ${v.resent} answered with their order; under new client ids: ${v.requeued} answered with the first order; ${v.ordersInDatabase} orders, ` +
        `${v.duplicates} duplicates; sequence errors ${v.sequenceErrors}; gaps reported ${v.gapsReported}`,
      'all equal, 0, 0, 0',
      v.errors.length === 0 ? 'passed' : `FAILED: ${v.errors.join('; ')}`,
    ],
  ];
}

import { describe, expect, it } from 'vitest';
import { expectProblem, type Client } from '../../../test/harness.ts';
import { systemContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { newId } from '../../platform/ids.ts';
import { addSeedTenant, SEED_ITEMS, stock, useSeedShop } from './orders.fixtures.ts';

const { shop } = useSeedShop({ env: { DEFAULT_TAX_RATE_BPS: '800' } });
const manager = shop.as('manager');
const till = shop.as('till');

function sell(payload: Record<string, unknown>, as: Client = till, headers: Record<string, string> = {}) {
  return as.post(
    '/v1/orders/sku',
    { register_id: shop.registerId, items: SEED_ITEMS, discount_percent_bp: 1000, ...payload },
    { headers },
  );
}

async function query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
  const { rows } = await tenantTx(shop.deps.db, systemContext(shop.tenantId), (tx) => tx.query<R>(sql, params));
  return rows;
}

async function onHand(sku: string): Promise<number> {
  const rows = await query<{ on_hand: number }>(
    `SELECT l.on_hand FROM stock_levels l JOIN product_variants v ON v.id = l.variant_id
      WHERE v.sku = $1 AND l.location_id = $2`,
    [sku, shop.locationId],
  );
  return rows[0]?.on_hand ?? 0;
}

describe('a cash sale', () => {
  it('completes with change, a register number, a price-locked snapshot, stock taken, audit and event', async () => {
    const sodaBefore = await onHand('SKU-SODA');
    const res = await sell({ tenders: [{ method: 'cash', amount_cents: 1000 }], note: 'regular' });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({
      status: 'completed',
      total_cents: 521,
      paid_cents: 521,
      change_cents: 479,
      tax_rate_bps: 800,
      tax_rate_source: 'default',
      note: 'regular',
    });
    expect(order.number).toBeGreaterThanOrEqual(1);
    expect(order.tenders).toMatchObject([
      { method: 'cash', tendered_cents: 1000, applied_cents: 521, change_cents: 479 },
    ]);
    expect(order.items[0]).toMatchObject({ sku: 'SKU-SODA', name: 'Soda Can', unit_price_cents: 199, quantity: 2 });
    expect(await onHand('SKU-SODA')).toBe(sodaBefore - 2);

    expect(await shop.audit({ action: 'order.completed', entityId: order.id })).toMatchAudit([
      { chain_key: `register:${shop.registerId}` },
    ]);
    const events = await query<{ topic: string }>(`SELECT topic FROM outbox WHERE payload->>'order_id' = $1`, [
      order.id,
    ]);
    expect(events.map((e) => e.topic)).toEqual(['order.completed']);

    // The price lock: a later price change does not touch the sold line.
    await tenantTx(shop.deps.db, systemContext(shop.tenantId), (tx) =>
      tx.query(`UPDATE product_variants SET price_cents = 999 WHERE sku = 'SKU-SODA'`),
    );
    const again = await till.get(`/v1/orders/${order.id}`);
    expect(again.json().items[0].unit_price_cents).toBe(199);
    await tenantTx(shop.deps.db, systemContext(shop.tenantId), (tx) =>
      tx.query(`UPDATE product_variants SET price_cents = 199 WHERE sku = 'SKU-SODA'`),
    );
  });

  it('splits card and cash; change only comes from cash', async () => {
    const res = await sell({
      tenders: [
        { method: 'external_card', amount_cents: 300, reference: 'TERM-42' },
        { method: 'cash', amount_cents: 500 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'completed', paid_cents: 521, change_cents: 279 });
    expect(res.json().tenders[0]).toMatchObject({
      method: 'external_card',
      applied_cents: 300,
      change_cents: 0,
      reference: 'TERM-42',
    });
  });
});

describe('line discounts', () => {
  it("keeps each line's own discount with the order, reads it back, and prints it on the receipt", async () => {
    // 10 % on the line and 10 % on the order is 19 % on that line: above a cashier's limit, so a manager sells.
    const res = await sell(
      {
        items: [{ sku: 'SKU-SODA', quantity: 2, discount_percent_bp: 1000 }, SEED_ITEMS[1]],
        tenders: [{ method: 'cash', amount_cents: 500 }],
      },
      manager,
    );
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({
      subtotal_cents: 547,
      discount_percent_bp: 1000,
      item_discount_cents: 40,
      order_discount_cents: 51,
      discount_cents: 91,
      tax_cents: 26,
      total_cents: 482,
      change_cents: 18,
    });
    const read = await till.get(`/v1/orders/${order.id}`);
    expect(read.json()).toEqual(order);
    expect(
      read.json().items.map((l: Record<string, number>) => [l.discount_percent_bp, l.item_discount_cents]),
    ).toEqual([
      [1000, 40],
      [0, 0],
    ]);
    const receipt = await till.get(`/v1/orders/${order.id}/receipt`, { headers: { accept: 'text/plain' } });
    expect(receipt.statusCode, receipt.body).toBe(200);
    expect(receipt.body).toMatch(/^ +Line discount \(10%\) +-0\.40$/m);
    expect(receipt.body).toMatch(/^Discount \(10%\) +-0\.51$/m);
  });
});

describe('parking and paying later', () => {
  it('leaves an order without tenders open (no number, no stock taken), then completes it with tenders', async () => {
    const before = await onHand('SKU-WATER');
    const parked = await sell({});
    expect(parked.statusCode).toBe(201);
    expect(parked.json()).toMatchObject({ status: 'open', number: null, paid_cents: 0 });
    expect(await onHand('SKU-WATER')).toBe(before);

    const paid = await till.post(`/v1/orders/${parked.json().id}/tenders`, {
      tenders: [{ method: 'cash', amount_cents: 600 }],
    });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'completed', change_cents: 79 });
    expect(paid.json().number).toBeGreaterThan(0);
    expect(await onHand('SKU-WATER')).toBe(before - 1);

    const twice = await till.post(`/v1/orders/${parked.json().id}/tenders`, {
      tenders: [{ method: 'cash', amount_cents: 600 }],
    });
    expectProblem(twice, 409, 'invalid_state_transition');
  });
});

describe('a sale that costs nothing', () => {
  it('completes with an empty tender list (a 100 % discount); omitted tenders still park it', async () => {
    const before = await onHand('SKU-WATER');
    const free = await sell({ discount_percent_bp: 10_000, tenders: [] }, manager);
    expect(free.statusCode, free.body).toBe(201);
    expect(free.json()).toMatchObject({ status: 'completed', total_cents: 0, paid_cents: 0, change_cents: 0 });
    expect(free.json().tenders).toEqual([]);
    expect(free.json().number).toBeGreaterThan(0);
    expect(await onHand('SKU-WATER')).toBe(before - 1);
    expect(await shop.audit({ action: 'order.completed', entityId: free.json().id })).toHaveLength(1);

    const parked = await sell({ discount_percent_bp: 10_000 }, manager);
    expect(parked.json()).toMatchObject({ status: 'open', number: null });
    // An empty list does not pay a sale that costs something: it is parked, as before.
    const unpaid = await sell({ tenders: [] });
    expect(unpaid.json()).toMatchObject({ status: 'open', number: null, paid_cents: 0 });
  });
});

describe('tenders that do not work', () => {
  it('refuses tenders short of the total with 422 insufficient_tender, writing nothing', async () => {
    const countBefore = (await query<{ n: number }>('SELECT count(*)::int AS n FROM orders'))[0]?.n;
    const res = await sell({ tenders: [{ method: 'cash', amount_cents: 500 }] });
    expectProblem(res, 422, 'insufficient_tender');
    expect(res.json().remaining_cents).toBe(21);
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM orders'))[0]?.n).toBe(countBefore);
  });

  it('refuses a card over-tender with 422 invalid_tender', async () => {
    expectProblem(await sell({ tenders: [{ method: 'external_card', amount_cents: 600 }] }), 422, 'invalid_tender');
  });

  it('refuses bad tender amounts with 400', async () => {
    expectProblem(await sell({ tenders: [{ method: 'cash', amount_cents: 0 }] }), 400, 'validation_failed');
    expectProblem(await sell({ tenders: [{ method: 'cheque', amount_cents: 100 }] }), 400, 'validation_failed');
  });
});

describe('idempotency', () => {
  it('returns the first order for a replayed client id, writing nothing twice', async () => {
    const id = newId();
    const first = await sell({ id, tenders: [{ method: 'cash', amount_cents: 521 }] });
    expect(first.statusCode).toBe(201);
    const stockAfterFirst = await onHand('SKU-SODA');
    const replay = await sell({ id, tenders: [{ method: 'cash', amount_cents: 521 }] });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual(first.json());
    expect(await onHand('SKU-SODA')).toBe(stockAfterFirst);
  });

  it('replays by Idempotency-Key too', async () => {
    const key = newId();
    const first = await sell({ tenders: [{ method: 'cash', amount_cents: 521 }] }, till, {
      'idempotency-key': key,
    });
    const again = await sell({ tenders: [{ method: 'cash', amount_cents: 521 }] }, till, {
      'idempotency-key': key,
    });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
  });

  it('answers a replay with the first order even when its cart would be refused now (archived product)', async () => {
    const fresh = await addSeedTenant(shop, 'Replay Shop');
    const payload = {
      id: newId(),
      register_id: fresh.registerId,
      items: [{ sku: 'SKU-SODA', quantity: 1 }],
      tenders: [{ method: 'cash', amount_cents: 500 }],
    };
    const send = () => fresh.as('till').post('/v1/orders/sku', payload);
    const first = await send();
    expect(first.statusCode, first.body).toBe(201);
    const archived = await fresh.as('owner').post(`/v1/variants/${fresh.variants.soda}/archive`);
    expect(archived.statusCode, archived.body).toBe(200);
    const replay = await send();
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json()).toEqual(first.json());
  });

  it('survives the same client id sent twice at the same moment', async () => {
    const id = newId();
    const [a, b] = await Promise.all([
      sell({ id, tenders: [{ method: 'cash', amount_cents: 521 }] }),
      sell({ id, tenders: [{ method: 'cash', amount_cents: 521 }] }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().id).toBe(b.json().id);
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE id = $1', [id]))[0]?.n).toBe(1);
  });
});

describe('numbers', () => {
  it('gives concurrent sales at one register consecutive numbers without gaps, even when some sales fail', async () => {
    const fresh = await addSeedTenant(shop, 'Numbers Shop');
    const sales = Array.from({ length: 20 }, (_, i) =>
      fresh.as('till').post('/v1/orders/sku', {
        register_id: fresh.registerId,
        items: [{ sku: 'SKU-WATER', quantity: 1 }],
        // Every fifth sale is short of money and must not burn a number.
        tenders: [{ method: 'cash', amount_cents: i % 5 === 0 ? 1 : 149 }],
      }),
    );
    const results = await Promise.all(sales);
    const numbers = results.filter((r) => r.statusCode === 201).map((r) => r.json().number as number);
    expect(numbers).toHaveLength(16);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });
});

describe('stock policy', () => {
  it('refuses a sale beyond stock with 409 insufficient_stock listing the short line, writing nothing', async () => {
    const fresh = await addSeedTenant(shop, 'Short Shop');
    const res = await fresh.as('till').post('/v1/orders/sku', {
      register_id: fresh.registerId,
      items: [{ sku: 'SKU-SODA', quantity: 101 }],
      tenders: [{ method: 'cash', amount_cents: 100_000 }],
    });
    expectProblem(res, 409, 'insufficient_stock');
    expect(res.json().lines).toEqual([expect.objectContaining({ sku: 'SKU-SODA', requested: 101, available: 100 })]);
    const rows = await tenantTx(shop.deps.db, systemContext(fresh.tenantId), (tx) =>
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM orders'),
    );
    expect(rows.rows[0]?.n).toBe(0);
  });

  it('refuses an archived product with 422 product_archived', async () => {
    const fresh = await addSeedTenant(shop, 'Archive Shop');
    await stock(fresh, { 'SKU-SODA': 1 });
    const archived = await fresh.as('owner').post(`/v1/variants/${fresh.variants.soda}/archive`);
    expect(archived.statusCode, archived.body).toBe(200);
    const res = await fresh
      .as('till')
      .post('/v1/orders/sku', { register_id: fresh.registerId, items: [{ sku: 'SKU-SODA', quantity: 1 }] });
    expectProblem(res, 422, 'product_archived');
  });
});

describe('voids', () => {
  it('lets a manager void a completed order: stock comes back, audited, order.voided raised; twice is 409', async () => {
    const sale = (await sell({ tenders: [{ method: 'cash', amount_cents: 521 }] })).json();
    const before = await onHand('SKU-SODA');
    const byCashier = await till.post(`/v1/orders/${sale.id}/void`, { reason: 'customer changed their mind' });
    expectProblem(byCashier, 403, 'forbidden');
    const voided = await manager.post(`/v1/orders/${sale.id}/void`, { reason: 'customer changed their mind' });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json()).toMatchObject({
      status: 'voided',
      void_reason: 'customer changed their mind',
      number: sale.number,
    });
    expect(await onHand('SKU-SODA')).toBe(before + 2);
    const events = await query<{ topic: string }>(
      `SELECT topic FROM outbox WHERE payload->>'order_id' = $1 ORDER BY id`,
      [sale.id],
    );
    expect(events.map((e) => e.topic)).toEqual(['order.completed', 'order.voided']);
    const again = await manager.post(`/v1/orders/${sale.id}/void`, { reason: 'again' });
    expectProblem(again, 409, 'invalid_state_transition');
    expect(again.json().current_status).toBe('voided');
  });
});

describe('reading orders', () => {
  it('lists orders newest first with filters and pages, and hides other tenants', async () => {
    const other = await addSeedTenant(shop, 'Other Shop');
    const page1 = await manager.get('/v1/orders?limit=2&status=completed');
    expect(page1.statusCode, page1.body).toBe(200);
    expect(page1.json().data).toHaveLength(2);
    const seen = new Set<string>(page1.json().data.map((o: { id: string }) => o.id));
    let cursor = page1.json().next_cursor as string | null;
    while (cursor !== null) {
      const next = await manager.get(`/v1/orders?limit=2&status=completed&cursor=${cursor}`);
      for (const o of next.json().data as { id: string; status: string }[]) {
        expect(seen.has(o.id)).toBe(false);
        expect(o.status).toBe('completed');
        seen.add(o.id);
      }
      cursor = next.json().next_cursor;
    }
    const count = (await query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE status = 'completed'`))[0]
      ?.n;
    expect(seen.size).toBe(count);

    const someOrder = [...seen][0] as string;
    const foreign = await other.as('owner').get(`/v1/orders/${someOrder}`);
    expectProblem(foreign, 404, 'order_not_found');
    expectProblem(await manager.get('/v1/orders?cursor=bm9wZQ'), 400, 'invalid_cursor');
  });
});

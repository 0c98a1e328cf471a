import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../../test/harness.ts';
import { systemContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { newId } from '../../platform/ids.ts';
import { freePort, simAuthorizations } from '../payments/payments.fixtures.ts';
// Started by an event-driven wait (its "listening" line or its exit), not a 30 s timer.
import { startSimulatorProcess, type RunningSimulator } from '../../../test/processes.ts';
import { waitForLockWait } from '../../../test/timing.ts';
import { SEED_ITEMS, stock, useSeedShop } from './orders.fixtures.ts';

let sim: RunningSimulator;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'novapos-sim-'));
  sim = await startSimulatorProcess({ port: await freePort(), stateFile: path.join(dir, 'state.json') });
});
afterAll(async () => {
  await sim.kill();
});

// Opened after the simulator has started (its URL is read then), closed before it is killed.
const { shop } = useSeedShop({
  name: 'Card Shop',
  env: () => ({ GATEWAY_URL: sim.url, GATEWAY_TIMEOUT_MS: '1000', DEFAULT_TAX_RATE_BPS: '800' }),
});
const till = shop.as('till');

/** The seed's cart (total 521) with these tenders. */
function sell(payload: Record<string, unknown>) {
  return till.post('/v1/orders/sku', {
    register_id: shop.registerId,
    items: SEED_ITEMS,
    discount_percent_bp: 1000,
    ...payload,
  });
}

function pay(orderId: string, tenders: unknown[]) {
  return till.post(`/v1/orders/${orderId}/tenders`, { tenders });
}

async function query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
  const { rows } = await tenantTx(shop.deps.db, systemContext(shop.tenantId), (tx) => tx.query<R>(sql, params));
  return rows;
}

/** The simulator's authorizations of one amount (each test uses its own amounts). */
async function simOf(amount: number) {
  return (await simAuthorizations(sim.url)).filter((a) => a.amount_cents === amount);
}

describe('card tenders', () => {
  it('a card is not charged for a sale short of stock; with a manager approval the same sale is charged once', async () => {
    const sku = `SKU-${newId().slice(-8)}`;
    const created = await shop
      .as('owner')
      .post('/v1/products', { name: 'Linen shirt', variants: [{ sku, price_cents: 3000 }] });
    expect(created.statusCode, created.body).toBe(201);
    const id = newId();
    const body = (approval?: string) => ({
      id,
      register_id: shop.registerId,
      items: [{ sku, quantity: 2 }],
      tenders: [{ method: 'card', amount_cents: 6480, card_token: 'tok_visa' }],
      ...(approval === undefined ? {} : { stock_approval: approval }),
    });
    const refused = await till.post('/v1/orders/sku', body(), { idempotencyKey: id });
    expectProblem(refused, 409, 'insufficient_stock');
    expect(await simOf(6480)).toEqual([]);
    const approval = await till.post('/v1/pos/stock-approvals', {
      register_id: shop.registerId,
      order_id: id,
      pin: shop.pins.manager,
    });
    expect(approval.statusCode, approval.body).toBe(201);
    const sold = await till.post('/v1/orders/sku', body(approval.json().approval), { idempotencyKey: id });
    expect(sold.statusCode, sold.body).toBe(201);
    expect(sold.json()).toMatchObject({ status: 'completed', paid_cents: 6480 });
    expect(await simOf(6480)).toHaveLength(1);
  });

  it('completes cash + card in one order: change from cash only, the card captured, brand and last 4 kept', async () => {
    const res = await sell({
      tenders: [
        { method: 'card', amount_cents: 301, card_token: 'tok_visa' },
        { method: 'cash', amount_cents: 500 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({ status: 'completed', total_cents: 521, paid_cents: 521, change_cents: 280 });
    expect(order.tenders).toMatchObject([
      {
        method: 'card',
        tendered_cents: 301,
        applied_cents: 301,
        change_cents: 0,
        card_brand: 'visa',
        card_last4: '4242',
      },
      { method: 'cash', tendered_cents: 500, applied_cents: 220, change_cents: 280, card_brand: null },
    ]);
    expect(JSON.stringify(order)).not.toContain('tok_visa');
    const intents = await query<{ state: string; order_id: string; captured_cents: number }>(
      'SELECT state, order_id, captured_cents FROM payment_intents WHERE id = $1',
      [order.tenders[0].payment_intent_id],
    );
    expect(intents).toEqual([{ state: 'captured', order_id: order.id, captured_cents: 301 }]);
    expect(await simOf(301)).toMatchObject([{ status: 'captured', captured_cents: 301 }]);

    const receipt = await till.get(`/v1/orders/${order.id}/receipt`);
    expect(receipt.statusCode, receipt.body).toBe(200);
    expect(receipt.body).toMatch(/^Paid \(visa \*\*\*\*4242\) +3\.01$/m);
    expect(receipt.body).toMatch(/^Paid \(cash\) +5\.00$/m);
    expect(receipt.body).not.toContain('tok_');
  });

  it('completes an order paid by two cards', async () => {
    const res = await sell({
      tenders: [
        { method: 'card', amount_cents: 302, card_token: 'tok_visa' },
        { method: 'card', amount_cents: 219, card_token: 'tok_mastercard' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'completed', paid_cents: 521, change_cents: 0 });
    expect(res.json().tenders.map((x: { card_last4: string }) => x.card_last4)).toEqual(['4242', '4444']);
    expect((await simOf(302))[0]?.status).toBe('captured');
    expect((await simOf(219))[0]?.status).toBe('captured');
  });

  it('a declined card: 402 with the reason, the order open with the cash kept; another card completes it', async () => {
    const res = await sell({
      tenders: [
        { method: 'cash', amount_cents: 200 },
        { method: 'card', amount_cents: 321, card_token: 'tok_insufficient_funds' },
      ],
    });
    expectProblem(res, 402, 'payment_declined');
    expect(res.json().reason).toBe('insufficient_funds');
    const orderId = res.json().order_id as string;
    const read = await till.get(`/v1/orders/${orderId}`);
    expect(read.json()).toMatchObject({ status: 'open', number: null, paid_cents: 200, total_cents: 521 });
    expect(read.json().tenders).toMatchObject([{ method: 'cash', applied_cents: 200 }]);
    const audit = await shop.audit({ entityId: orderId });
    expect(audit.map((a) => a.action)).toContain('order.tendered');

    // More than is left on a card is refused before any charge.
    expectProblem(
      await pay(orderId, [{ method: 'card', amount_cents: 322, card_token: 'tok_visa' }]),
      422,
      'invalid_tender',
    );
    const paid = await pay(orderId, [{ method: 'card', amount_cents: 321, card_token: 'tok_visa' }]);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'completed', paid_cents: 521, change_cents: 0 });
    expect(paid.json().tenders).toMatchObject([
      { method: 'cash', applied_cents: 200 },
      { method: 'card', applied_cents: 321, card_brand: 'visa', card_last4: '4242' },
    ]);
    expect((await simOf(321)).map((a) => a.status)).toEqual(['captured']);
  });

  it('a card is not even authorized for a sale the stock refuses (checked before the processor is called)', async () => {
    const id = newId();
    const res = await till.post('/v1/orders/sku', {
      id,
      register_id: shop.registerId,
      items: [{ sku: 'SKU-SODA', quantity: 101 }],
      tenders: [
        { method: 'card', amount_cents: 777, card_token: 'tok_visa' },
        { method: 'cash', amount_cents: 100_000 },
      ],
    });
    expectProblem(res, 409, 'insufficient_stock');
    expect(await simOf(777)).toEqual([]);
    expect(await query('SELECT 1 FROM orders WHERE id = $1', [id])).toHaveLength(0);
    expect(await query('SELECT 1 FROM payment_intents WHERE amount_cents = 777')).toEqual([]);
  });

  it('voids the authorization when the stock runs out between the check and the save: nothing charged, no order', async () => {
    const sku = `SKU-${newId().slice(-8)}`;
    await shop.as('owner').post('/v1/products', { name: 'Last scarf', variants: [{ sku, price_cents: 720 }] });
    await stock(shop, { [sku]: 1 });
    const { rows } = await shop.db.query<{ id: string }>('SELECT id FROM product_variants WHERE sku = $1', [sku]);
    const variantId = rows[0]?.id ?? '';
    // Another transaction holds the level row: the sale checks stock (1 left) and authorizes the card, then waits
    // for the row while that transaction sells the last one.
    const other = await shop.db.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT 1 FROM stock_levels WHERE variant_id = $1 AND location_id = $2 FOR UPDATE', [
        variantId,
        shop.locationId,
      ]);
      const id = newId();
      const sale = till.post('/v1/orders/sku', {
        id,
        register_id: shop.registerId,
        items: [{ sku, quantity: 1 }],
        tenders: [{ method: 'card', amount_cents: 778, card_token: 'tok_visa' }],
      });
      await waitForLockWait(shop.db);
      await other.query('UPDATE stock_levels SET on_hand = 0 WHERE variant_id = $1 AND location_id = $2', [
        variantId,
        shop.locationId,
      ]);
      await other.query('COMMIT');
      const res = await sale;
      expectProblem(res, 409, 'insufficient_stock');
      expect(await simOf(778)).toMatchObject([{ status: 'voided', captured_cents: 0 }]);
      expect(await query('SELECT 1 FROM orders WHERE id = $1', [id])).toHaveLength(0);
      const intents = await query<{ state: string }>('SELECT state FROM payment_intents WHERE amount_cents = 778');
      expect(intents).toEqual([{ state: 'voided' }]);
    } finally {
      other.release();
    }
  });

  it('a replayed client id returns the first order and charges once', async () => {
    const id = newId();
    const payload = { id, tenders: [{ method: 'card', amount_cents: 521, card_token: 'tok_mastercard' }] };
    const first = await sell(payload);
    expect(first.statusCode, first.body).toBe(201);
    const again = await sell(payload);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().id).toBe(id);
    expect(await simOf(521)).toHaveLength(1);
    expect(await query('SELECT 1 FROM payment_intents WHERE order_id = $1', [id])).toHaveLength(1);
  });

  it('two copies of one sale at the same moment: one order, one capture', async () => {
    const id = newId();
    const payload = {
      id,
      tenders: [
        { method: 'card', amount_cents: 520, card_token: 'tok_visa' },
        { method: 'cash', amount_cents: 100 },
      ],
    };
    const [a, b] = await Promise.all([sell(payload), sell(payload)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().id).toBe(b.json().id);
    const intents = await query<{ state: string }>('SELECT state FROM payment_intents WHERE order_id = $1', [id]);
    expect(intents).toEqual([{ state: 'captured' }]);
    expect(await simOf(520)).toMatchObject([{ status: 'captured' }]);
  });

  it('refuses a card number instead of a token with 400, never echoing it, charging nothing', async () => {
    const before = (await simAuthorizations(sim.url)).length;
    const res = await sell({ tenders: [{ method: 'card', amount_cents: 521, card_token: '4242424242424242' }] });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.body).not.toContain('4242424242424242');
    expect((await simAuthorizations(sim.url)).length).toBe(before);
  });

  it('refuses a card tender without a token, and a token on a cash tender (400)', async () => {
    expect((await sell({ tenders: [{ method: 'card', amount_cents: 521 }] })).statusCode).toBe(400);
    const cash = await sell({ tenders: [{ method: 'cash', amount_cents: 521, card_token: 'tok_visa' }] });
    expect(cash.statusCode).toBe(400);
  });
});

describe('card tenders without a gateway', () => {
  const { shop: other } = useSeedShop({ name: 'No Gateway Shop', env: { DEFAULT_TAX_RATE_BPS: '800' } });

  it('answer 503 payments_disabled and save nothing', async () => {
    const res = await other.as('till').post('/v1/orders/sku', {
      register_id: other.registerId,
      items: SEED_ITEMS,
      tenders: [{ method: 'card', amount_cents: 100, card_token: 'tok_visa' }],
    });
    expectProblem(res, 503, 'payments_disabled');
  });
});

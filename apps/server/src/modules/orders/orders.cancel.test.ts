import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../../test/harness.ts';
import { startSimulatorProcess, type RunningSimulator } from '../../../test/processes.ts';
import { systemContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { newId } from '../../platform/ids.ts';
import { freePort, simAuthorizations } from '../payments/payments.fixtures.ts';
import { addSeedTenant, SEED_ITEMS, useSeedShop } from './orders.fixtures.ts';

// Issue 13 §1.2: a declined card in a split keeps the other tenders on the sale; cancelling a sale with tenders
// taken gives them back (cash handed back, cards voided or refunded) and is recorded.

let sim: RunningSimulator;
let simPort: number;
let simState: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'novapos-sim-'));
  simPort = await freePort();
  simState = path.join(dir, 'state.json');
  sim = await startSimulatorProcess({ port: simPort, stateFile: simState });
});
afterAll(async () => {
  await sim.kill();
});

const { shop } = useSeedShop({
  name: 'Cancel Shop',
  env: () => ({ GATEWAY_URL: sim.url, GATEWAY_TIMEOUT_MS: '1000', DEFAULT_TAX_RATE_BPS: '800' }),
});
const till = shop.as('till');

/** The seed's cart (total 521, 10 % off) with these tenders, under a client id. */
function sell(tenders: unknown[], id = newId()) {
  return till.post('/v1/orders/sku', {
    id,
    register_id: shop.registerId,
    items: SEED_ITEMS,
    discount_percent_bp: 1000,
    tenders,
  });
}

function cancel(orderId: string, reason = 'Customer changed their mind', as = till) {
  return as.post(`/v1/orders/${orderId}/cancel`, { reason });
}

async function query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
  const { rows } = await tenantTx(shop.deps.db, systemContext(shop.tenantId), (tx) => tx.query<R>(sql, params));
  return rows;
}

/** An open order with $2.00 cash kept after a declined card (the seed's cart, 521). */
async function partlyPaid(cashCents = 200, declinedCents = 321): Promise<string> {
  const res = await sell([
    { method: 'cash', amount_cents: cashCents },
    { method: 'card', amount_cents: declinedCents, card_token: 'tok_declined' },
  ]);
  expectProblem(res, 402, 'payment_declined');
  return res.json().order_id as string;
}

describe('a declined card in a split', () => {
  it('keeps the cash under the sale id; the rest is paid on that order, never the full total again', async () => {
    const id = newId();
    const res = await sell(
      [
        { method: 'cash', amount_cents: 500 },
        { method: 'card', amount_cents: 21, card_token: 'tok_declined' },
      ],
      id,
    );
    expectProblem(res, 402, 'payment_declined');
    expect(res.json().order_id).toBe(id);
    expect((await till.get(`/v1/orders/${id}`)).json()).toMatchObject({ status: 'open', paid_cents: 500 });

    const paid = await till.post(`/v1/orders/${id}/tenders`, {
      tenders: [{ method: 'card', amount_cents: 21, card_token: 'tok_visa' }],
    });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'completed', paid_cents: 521 });
    expect(
      paid.json().tenders.map((t: { method: string; applied_cents: number }) => [t.method, t.applied_cents]),
    ).toEqual([
      ['cash', 500],
      ['card', 21],
    ]);
    const captured = (await simAuthorizations(sim.url)).filter((a) => a.amount_cents === 21 && a.status === 'captured');
    expect(captured).toHaveLength(1);
  });
});

describe('cancelling a sale in progress', () => {
  it('gives back cash and a captured card: cancelled, reversals recorded, card refunded, audited once', async () => {
    // A first card goes through (captured), the second is declined: $1.00 cash and $1.50 on a card are taken.
    const res = await sell([
      { method: 'cash', amount_cents: 100 },
      { method: 'card', amount_cents: 150, card_token: 'tok_visa' },
      { method: 'card', amount_cents: 271, card_token: 'tok_declined' },
    ]);
    expectProblem(res, 402, 'payment_declined');
    const id = res.json().order_id as string;
    expect((await till.get(`/v1/orders/${id}`)).json()).toMatchObject({ status: 'open', paid_cents: 250 });

    const done = await cancel(id);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'cancelled',
      number: null,
      cancel_reason: 'Customer changed their mind',
      paid_cents: 250,
    });
    expect(done.json().cancelled_at).toEqual(expect.any(String));
    expect(done.json().tenders).toMatchObject([
      { method: 'cash', applied_cents: 100, reversal: 'cash_returned' },
      { method: 'card', applied_cents: 150, reversal: 'card_refunded' },
    ]);
    const intentId = done.json().tenders[1].payment_intent_id as string;
    const intents = await query<{ state: string; refunded_cents: number }>(
      'SELECT state, refunded_cents::int FROM payment_intents WHERE id = $1',
      [intentId],
    );
    expect(intents).toEqual([{ state: 'refunded', refunded_cents: 150 }]);

    const audit = await shop.audit({ entityId: id });
    const cancelled = audit.filter((a) => a.action === 'order.cancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]?.data).toMatchObject({
      reason: 'Customer changed their mind',
      cash_returned_cents: 100,
      card_cents: 150,
      paid_cents: 250,
    });
    expect((await shop.audit({ entityId: intentId })).map((a) => a.action)).toContain('payment.refunded');
    // Nothing was taken from stock: the order never completed.
    expect(await query('SELECT 1 FROM stock_movements WHERE reference_id = $1', [id])).toHaveLength(0);
    // A cancelled order takes no more tenders.
    expectProblem(
      await till.post(`/v1/orders/${id}/tenders`, { tenders: [{ method: 'cash', amount_cents: 521 }] }),
      409,
      'invalid_state_transition',
    );
  });

  it('the processor down during a cancel: cancelled with the cash given back, the card refunded on the retry', async () => {
    const res = await sell([
      { method: 'card', amount_cents: 160, card_token: 'tok_visa' },
      { method: 'cash', amount_cents: 90 },
      { method: 'card', amount_cents: 271, card_token: 'tok_declined' },
    ]);
    expectProblem(res, 402, 'payment_declined');
    const id = res.json().order_id as string;

    await sim.kill();
    const failed = await cancel(id);
    expectProblem(failed, 503, 'gateway_unavailable');
    const held = (await till.get(`/v1/orders/${id}`)).json();
    expect(held).toMatchObject({ status: 'cancelled' });
    expect(held.tenders).toMatchObject([
      { method: 'card', applied_cents: 160, reversal: null },
      { method: 'cash', applied_cents: 90, reversal: 'cash_returned' },
    ]);

    sim = await startSimulatorProcess({ port: simPort, stateFile: simState });
    const retried = await cancel(id);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json().tenders).toMatchObject([
      { method: 'card', reversal: 'card_refunded' },
      { method: 'cash', reversal: 'cash_returned' },
    ]);
    const intents = await query<{ state: string }>('SELECT state FROM payment_intents WHERE id = $1', [
      retried.json().tenders[0].payment_intent_id,
    ]);
    expect(intents).toEqual([{ state: 'refunded' }]);
    expect((await shop.audit({ entityId: id })).filter((a) => a.action === 'order.cancelled')).toHaveLength(1);
  });

  it('twice answers the cancelled order again and gives nothing back twice', async () => {
    const id = await partlyPaid(300, 221);
    const first = await cancel(id);
    expect(first.statusCode, first.body).toBe(200);
    const again = await cancel(id, 'another reason');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ status: 'cancelled', cancel_reason: 'Customer changed their mind' });
    expect(again.json().tenders).toMatchObject([{ method: 'cash', applied_cents: 300, reversal: 'cash_returned' }]);
    expect((await shop.audit({ entityId: id })).filter((a) => a.action === 'order.cancelled')).toHaveLength(1);
  });

  it('cancels a parked order with nothing paid', async () => {
    const parked = await till.post('/v1/orders/sku', { register_id: shop.registerId, items: SEED_ITEMS });
    expect(parked.statusCode, parked.body).toBe(201);
    const done = await cancel(parked.json().id);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'cancelled', tenders: [] });
  });

  it('refuses a completed order (409) and a voided one: they are voided or returned, not cancelled', async () => {
    const sale = await sell([{ method: 'cash', amount_cents: 521 }]);
    expect(sale.statusCode, sale.body).toBe(201);
    const res = await cancel(sale.json().id);
    expectProblem(res, 409, 'invalid_state_transition');
    expect(res.json().current_status).toBe('completed');
    expect((await till.get(`/v1/orders/${sale.json().id}`)).json().status).toBe('completed');
  });

  it("answers 404 for another tenant's order and for an unknown id, and changes nothing there", async () => {
    const other = await addSeedTenant(shop, 'Other Cancel Shop');
    const theirs = await other.as('till').post('/v1/orders/sku', {
      register_id: other.registerId,
      items: SEED_ITEMS,
      tenders: [{ method: 'cash', amount_cents: 100 }],
    });
    expectProblem(theirs, 422, 'insufficient_tender');
    const parked = await other.as('till').post('/v1/orders/sku', { register_id: other.registerId, items: SEED_ITEMS });
    expect(parked.statusCode, parked.body).toBe(201);
    expectProblem(await cancel(parked.json().id), 404, 'order_not_found');
    expect((await other.as('till').get(`/v1/orders/${parked.json().id}`)).json().status).toBe('open');
    expectProblem(await cancel(newId()), 404, 'order_not_found');
  });

  it('refuses a missing, empty, over-long or control-character reason with 400 before anything changes', async () => {
    const id = await partlyPaid(400, 121);
    for (const body of [{}, { reason: '' }, { reason: 'x'.repeat(501) }, { reason: 'a\u0000b' }, { reason: 7 }]) {
      const res = await till.post(`/v1/orders/${id}/cancel`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expectProblem(await till.post('/v1/orders/not-a-uuid/cancel', { reason: 'x' }), 400, 'validation_failed');
    expect((await till.get(`/v1/orders/${id}`)).json().status).toBe('open');
  });
});

// Issue 14 §2 (a first slice): voiding a paid order gives its tenders back; a card is never left charged.
describe('voiding a sale paid by card', () => {
  const manager = shop.as('manager');
  const voidIt = (id: string) => manager.post(`/v1/orders/${id}/void`, { reason: 'Rang up twice' });
  const intentState = async (id: string) =>
    (await query<{ state: string }>('SELECT state FROM payment_intents WHERE id = $1', [id]))[0]?.state;

  it('refunds the captured card and records the cash as handed back, audited with what went back', async () => {
    const sale = await sell([
      { method: 'card', amount_cents: 321, card_token: 'tok_visa' },
      { method: 'cash', amount_cents: 200 },
    ]);
    expect(sale.statusCode, sale.body).toBe(201);
    const intentId = sale.json().tenders[0].payment_intent_id as string;
    expect(await intentState(intentId)).toBe('captured');

    const voided = await voidIt(sale.json().id);
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json()).toMatchObject({ status: 'voided' });
    expect(voided.json().tenders).toMatchObject([
      { method: 'card', applied_cents: 321, reversal: 'card_refunded' },
      { method: 'cash', applied_cents: 200, reversal: 'cash_returned' },
    ]);
    expect(await intentState(intentId)).toBe('refunded');
    const audit = (await shop.audit({ entityId: sale.json().id })).filter((a) => a.action === 'order.voided');
    expect(audit).toHaveLength(1);
    expect(audit[0]?.data).toMatchObject({ card_cents: 321, cash_returned_cents: 200, reason: 'Rang up twice' });
    // Nothing is left to give back: a second void is refused, as before.
    expectProblem(await voidIt(sale.json().id), 409, 'invalid_state_transition');
  });

  it('the processor down during a void: voided, the card refunded when the void is sent again', async () => {
    const sale = await sell([{ method: 'card', amount_cents: 521, card_token: 'tok_visa' }]);
    expect(sale.statusCode, sale.body).toBe(201);
    const intentId = sale.json().tenders[0].payment_intent_id as string;

    await sim.kill();
    expectProblem(await voidIt(sale.json().id), 503, 'gateway_unavailable');
    const held = (await till.get(`/v1/orders/${sale.json().id}`)).json();
    expect(held).toMatchObject({ status: 'voided' });
    expect(held.tenders).toMatchObject([{ method: 'card', reversal: null }]);
    expect(await intentState(intentId)).toBe('captured');

    sim = await startSimulatorProcess({ port: simPort, stateFile: simState });
    const retried = await voidIt(sale.json().id);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json().tenders).toMatchObject([{ method: 'card', reversal: 'card_refunded' }]);
    expect(await intentState(intentId)).toBe('refunded');
    // The void itself happened once: stock came back once, one audit event.
    expect((await shop.audit({ entityId: sale.json().id })).filter((a) => a.action === 'order.voided')).toHaveLength(1);
    const moves = await query<{ n: number }>(
      "SELECT count(*)::int AS n FROM stock_movements WHERE reference_id = $1 AND reason = 'void'",
      [sale.json().id],
    );
    expect(moves[0]?.n).toBe(SEED_ITEMS.length);
  });
});

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, useShop, type Client } from '../../../test/harness.ts';
import { systemContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { newId } from '../../platform/ids.ts';
import {
  freePort,
  simAuthorizations,
  simSettlements,
  startSimulatorProcess,
  type RunningSimulator,
} from './payments.fixtures.ts';

let sim: RunningSimulator;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'novapos-sim-'));
  sim = await startSimulatorProcess({ port: await freePort(), stateFile: path.join(dir, 'state.json') });
});
afterAll(async () => {
  await sim.kill();
});

// Opened once the simulator listens (its URL is read then), closed before it is killed.
const shop = useShop({
  env: () => ({ GATEWAY_URL: sim.url, GATEWAY_TIMEOUT_MS: '300' }),
  roles: ['cashier', 'manager'],
});
const cashier = shop.as('cashier');
const manager = shop.as('manager');

function create(payload: Record<string, unknown>, as: Client = cashier, headers: Record<string, string> = {}) {
  return as.post('/v1/payment_intents', payload, { headers });
}

function act(id: string, action: string, payload: Record<string, unknown> = {}, as: Client = cashier) {
  return as.post(`/v1/payment_intents/${id}/${action}`, payload);
}

async function intent(amount: number, captureMethod: 'automatic' | 'manual' = 'automatic'): Promise<string> {
  const res = await create({ amount_cents: amount, currency: 'USD', capture_method: captureMethod });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
  const { rows } = await tenantTx(shop.deps.db, systemContext(shop.tenantId), (tx) => tx.query<R>(sql, params));
  return rows;
}

describe('creating an intent', () => {
  it('starts in created, and an Idempotency-Key is kept on it', async () => {
    const key = `create-${newId()}`;
    const first = await create({ amount_cents: 500, currency: 'USD' }, cashier, { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ state: 'created', capture_method: 'automatic', amount_cents: 500 });
    const again = await create({ amount_cents: 500, currency: 'USD' }, cashier, { 'idempotency-key': key });
    expect(again.json().id).toBe(first.json().id);
    const rows = await query('SELECT id FROM payment_intents WHERE idempotency_key = $1', [key]);
    expect(rows).toHaveLength(1);
  });

  it('refuses bad amounts, currencies, unknown fields and unknown orders', async () => {
    expectProblem(await create({ amount_cents: 0, currency: 'USD' }), 400, 'validation_failed');
    expectProblem(await create({ amount_cents: 10, currency: 'usd' }), 400, 'validation_failed');
    expectProblem(await create({ amount_cents: 10, currency: 'USD', card: '4242' }), 400, 'validation_failed');
    expectProblem(await create({ amount_cents: 10, currency: 'USD', order_id: newId() }), 404, 'order_not_found');
  });
});

describe('card payments through the simulator', () => {
  it('automatic capture: confirming authorizes and captures, audited and raised', async () => {
    const id = await intent(1250);
    const res = await act(id, 'confirm', { card_token: 'tok_visa' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ state: 'captured', authorized_cents: 1250, captured_cents: 1250, card_brand: 'visa' });
    expect(body.card_last4).toBe('4242');
    expect(body.provider_ref).toMatch(/^sim_auth_/);
    const auth = (await simAuthorizations(sim.url)).find((a) => a.provider_ref === body.provider_ref);
    expect(auth).toMatchObject({ status: 'captured', captured_cents: 1250 });
    expect((await simSettlements(sim.url)).filter((s) => s.provider_ref === body.provider_ref)).toEqual([
      expect.objectContaining({ type: 'capture', amount_cents: 1250 }),
    ]);
    expect(await shop.audit({ entityId: id })).toMatchAudit(['payment.authorized', 'payment.captured']);
    const events = await query(
      "SELECT 1 FROM outbox WHERE topic = 'payment.completed' AND payload->>'intent_id' = $1",
      [id],
    );
    expect(events).toHaveLength(1);
  });

  it('manual capture: authorize, then capture part; a second capture is 409 with the state', async () => {
    const id = await intent(1000, 'manual');
    const confirmed = await act(id, 'confirm', { card_token: 'tok_mastercard' });
    expect(confirmed.json()).toMatchObject({ state: 'authorized', card_brand: 'mastercard', card_last4: '4444' });
    expectProblem(await act(id, 'capture', { amount_cents: 1001 }), 422, 'capture_exceeds_authorized');
    const captured = await act(id, 'capture', { amount_cents: 700 });
    expect(captured.json()).toMatchObject({ state: 'captured', authorized_cents: 1000, captured_cents: 700 });
    const again = await act(id, 'capture', {});
    expectProblem(again, 409, 'invalid_state_transition');
    expect(again.json().current_state).toBe('captured');
    expectProblem(await act(id, 'confirm', { card_token: 'tok_visa' }), 409, 'invalid_state_transition');
  });

  it.each([
    ['tok_declined', 'card_declined'],
    ['tok_insufficient_funds', 'insufficient_funds'],
  ])('%s is 402 payment_declined with the reason; the intent stays created', async (token, reason) => {
    const id = await intent(900);
    const res = await act(id, 'confirm', { card_token: token });
    expectProblem(res, 402, 'payment_declined');
    expect(res.json().reason).toBe(reason);
    const read = await cashier.get(`/v1/payment_intents/${id}`);
    expect(read.json()).toMatchObject({ state: 'created', authorized_cents: 0 });
    expect(read.json().last_error).toContain(reason);
  });

  it('a processor that answers too late is retried with the same key: one charge', async () => {
    const before = (await simAuthorizations(sim.url)).length;
    const id = await intent(777);
    const res = await act(id, 'confirm', { card_token: 'tok_timeout' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'captured', captured_cents: 777 });
    const all = await simAuthorizations(sim.url);
    expect(all.length).toBe(before + 1);
    expect(all.filter((a) => a.amount_cents === 777)).toHaveLength(1);
  });

  it('void: manager only; the processor reference gains -void; a voided intent cannot be refunded', async () => {
    const id = await intent(400, 'manual');
    await act(id, 'confirm', { card_token: 'tok_visa' });
    expectProblem(await act(id, 'void', {}, cashier), 403, 'forbidden');
    const voided = await act(id, 'void', { reason: 'customer changed their mind' }, manager);
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json().state).toBe('voided');
    expect(voided.json().provider_ref).toMatch(/-void$/);
    const refund = await act(id, 'refund', { reason: 'oops' }, manager);
    expectProblem(refund, 409, 'invalid_state_transition');
    expect(refund.json().current_state).toBe('voided');
  });

  it('refunds add up to at most the capture', async () => {
    const id = await intent(1000);
    await act(id, 'confirm', { card_token: 'tok_visa' });
    expectProblem(await act(id, 'refund', { amount_cents: 100, reason: 'x' }, cashier), 403, 'forbidden');
    const part = await act(id, 'refund', { amount_cents: 300, reason: 'damaged' }, manager);
    expect(part.json()).toMatchObject({ state: 'partially_refunded', refunded_cents: 300 });
    expect(part.json().refunds[0].provider_ref).toMatch(/-refund$/);
    expectProblem(
      await act(id, 'refund', { amount_cents: 701, reason: 'too much' }, manager),
      422,
      'refund_exceeds_captured',
    );
    const rest = await act(id, 'refund', { reason: 'the rest' }, manager);
    expect(rest.json()).toMatchObject({ state: 'refunded', refunded_cents: 1000 });
    expect(rest.json().refunds).toHaveLength(2);
    expectProblem(
      await act(id, 'refund', { amount_cents: 1, reason: 'again' }, manager),
      409,
      'invalid_state_transition',
    );
    const events = await query("SELECT 1 FROM outbox WHERE topic = 'payment.refunded' AND payload->>'intent_id' = $1", [
      id,
    ]);
    expect(events).toHaveLength(2);
    const ref = rest.json().provider_ref as string;
    const refunds = (await simSettlements(sim.url)).filter((s) => s.provider_ref === ref && s.type === 'refund');
    expect(refunds.map((r) => r.amount_cents)).toEqual([300, 700]);
  });

  it('two captures of one intent at once: one wins, the other is 409', async () => {
    const id = await intent(600, 'manual');
    await act(id, 'confirm', { card_token: 'tok_visa' });
    const results = await Promise.all([act(id, 'capture'), act(id, 'capture')]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const ref = results.find((r) => r.statusCode === 200)?.json().provider_ref as string;
    expect((await simSettlements(sim.url)).filter((s) => s.provider_ref === ref)).toHaveLength(1);
  });

  it('two refunds of the rest at once: one wins', async () => {
    const id = await intent(650);
    await act(id, 'confirm', { card_token: 'tok_visa' });
    const results = await Promise.all([
      act(id, 'refund', { amount_cents: 650, reason: 'a' }, manager),
      act(id, 'refund', { amount_cents: 650, reason: 'b' }, manager),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });
});

describe('metrics', () => {
  it('counts payments by outcome, refunds and voids', async () => {
    const text = await shop.deps.metrics.registry.metrics();
    expect(text).toMatch(/payments_total\{method="card",outcome="captured"\} [1-9]/);
    expect(text).toMatch(/payments_total\{method="card",outcome="declined"\} 2/);
    expect(text).toMatch(/payment_refunds_total [1-9]/);
    expect(text).toMatch(/payment_voids_total 1/);
  });
});

describe('what cannot be reached or sent', () => {
  it('an unknown intent, or another tenant’s, is 404', async () => {
    expectProblem(await cashier.get(`/v1/payment_intents/${newId()}`), 404, 'payment_intent_not_found');
    expectProblem(await act(newId(), 'confirm', { card_token: 'tok_visa' }), 404, 'payment_intent_not_found');
    const id = await intent(300, 'manual');
    const other = await shop.addTenant('Other Shop', ['manager']);
    const stranger = other.as('manager');
    expectProblem(await stranger.get(`/v1/payment_intents/${id}`), 404, 'payment_intent_not_found');
    expectProblem(await act(id, 'confirm', { card_token: 'tok_visa' }, stranger), 404, 'payment_intent_not_found');
  });

  it.each(['visa', 'TOK_VISA', 'tok_', 'tok_visa; drop', '4242424242424242', '4242 4242 4242 4242'])(
    'card_token %j is 400 invalid_card_token',
    async (token) => {
      const id = await intent(300);
      expectProblem(await act(id, 'confirm', { card_token: token }), 400, 'invalid_card_token');
      expect((await query('SELECT state FROM payment_intents WHERE id = $1', [id]))[0]).toEqual({ state: 'created' });
    },
  );

  it('a token the processor does not know is 400 invalid_card_token', async () => {
    const id = await intent(300);
    expectProblem(await act(id, 'confirm', { card_token: 'tok_unknown_card' }), 400, 'invalid_card_token');
  });
});

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, useShop } from '../../../../test/harness.ts';
import { createWebhookProcessor, type WebhookProcessor } from '../../webhooks/index.ts';
import { postWebhook, signDelivery } from '../../webhooks/webhooks.test-helpers.ts';
import { freePort, startSimulatorProcess, type RunningSimulator } from '../payments.fixtures.ts';
import { paymentsDepsFor, registerPaymentWebhookHandlers } from './index.ts';

const SECRET = 'whsec_jobs_0123456789abcdef';
const logger = pino({ level: 'silent' });
let sim: RunningSimulator;
let processor: WebhookProcessor;
let offHandlers: () => void;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'novapos-sim-'));
  sim = await startSimulatorProcess({ port: await freePort(), stateFile: path.join(dir, 'state.json') });
});
afterAll(async () => {
  await sim.kill();
});

// Opened once the simulator listens (its URL is read then), closed before it is killed.
const shop = useShop({ env: () => ({ GATEWAY_URL: sim.url, WEBHOOK_ACTIVE_SECRET: SECRET }), roles: ['cashier'] });
const cashier = shop.as('cashier');

beforeAll(() => {
  const t = shop.t;
  const deps = paymentsDepsFor({ db: t.deps.db, config: t.config, registry: t.deps.metrics.registry, logger });
  offHandlers = registerPaymentWebhookHandlers(deps);
  processor = createWebhookProcessor({ db: t.deps.db, logger, metrics: t.deps.metrics }, { backoffMs: [10, 10] });
});
afterAll(async () => {
  offHandlers();
  await processor.stop();
});

async function authorized(amount: number): Promise<{ id: string; provider_ref: string }> {
  const created = await cashier.post('/v1/payment_intents', {
    amount_cents: amount,
    currency: 'USD',
    capture_method: 'manual',
  });
  const id = created.json<{ id: string }>().id;
  const res = await cashier.post(`/v1/payment_intents/${id}/confirm`, { card_token: 'tok_visa' });
  expect(res.json()).toMatchObject({ state: 'authorized' });
  return res.json();
}

/** Posts a signed event and processes it; returns the stored event's status. */
async function deliver(provider: string, body: string, headers = signDelivery(SECRET, body)) {
  const res = await postWebhook(shop, provider, body, headers);
  expect(res.statusCode, res.body).toBe(202);
  await processor.drain();
  const { rows } = await shop.db.query<{ status: string; last_error: string | null }>(
    'SELECT status, last_error FROM webhook_events WHERE id = $1',
    [res.json<{ id: string }>().id],
  );
  return rows[0];
}

async function intentRow(id: string) {
  const { rows } = await shop.db.query<{ state: string; captured_cents: number; refunded_cents: number }>(
    'SELECT state, captured_cents, refunded_cents FROM payment_intents WHERE id = $1',
    [id],
  );
  return rows[0];
}

describe('processor events (charge.captured, charge.refunded)', () => {
  it('captures an authorized intent from a signed charge.captured; a replay changes nothing', async () => {
    const intent = await authorized(5000);
    const body = JSON.stringify({
      id: 'evt_cap_1',
      type: 'charge.captured',
      data: { provider_ref: intent.provider_ref, amount_cents: 4500 },
    });
    const headers = signDelivery(SECRET, body);
    expect(await deliver('gateway-sim', body, headers)).toEqual({ status: 'processed', last_error: null });
    expect(await intentRow(intent.id)).toEqual({ state: 'captured', captured_cents: 4500, refunded_cents: 0 });
    expect(await shop.audit({ entityId: intent.id })).toMatchAudit(['payment.authorized', 'payment.captured']);

    // The very same delivery again is refused at the door; the processor resending it (new nonce) is a no-op.
    expectProblem(await postWebhook(shop, 'gateway-sim', body, headers), 401, 'sig_replay');
    expect(await deliver('gateway-sim', body)).toEqual({ status: 'processed', last_error: null });
    expect(await intentRow(intent.id)).toEqual({ state: 'captured', captured_cents: 4500, refunded_cents: 0 });
    expect(await shop.audit({ entityId: intent.id })).toMatchAudit(['payment.authorized', 'payment.captured']);
    const { rows } = await shop.db.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'intent_id' = $1`, [
      intent.id,
    ]);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('records refunds from charge.refunded (amount_cents: the total refunded), idempotently', async () => {
    const intent = await authorized(3000);
    const captured = JSON.stringify({
      type: 'charge.captured',
      provider_ref: intent.provider_ref,
      amount_cents: 3000,
    });
    expect((await deliver('processor', captured))?.status).toBe('processed');
    const refunded = (total: number) =>
      JSON.stringify({ type: 'charge.refunded', data: { provider_ref: intent.provider_ref, amount_cents: total } });
    expect((await deliver('processor', refunded(1000)))?.status).toBe('processed');
    expect(await intentRow(intent.id)).toMatchObject({ state: 'partially_refunded', refunded_cents: 1000 });
    expect((await deliver('processor', refunded(1000)))?.status).toBe('processed');
    expect((await deliver('processor', refunded(3000)))?.status).toBe('processed');
    expect(await intentRow(intent.id)).toMatchObject({ state: 'refunded', refunded_cents: 3000 });
    const { rows } = await shop.db.query('SELECT amount_cents FROM payment_refunds WHERE intent_id = $1 ORDER BY 1', [
      intent.id,
    ]);
    expect(rows).toEqual([{ amount_cents: 1000 }, { amount_cents: 2000 }]);
  });

  it('retries, then fails, an event for an unknown charge or a voided intent, writing nothing', async () => {
    const unknown = JSON.stringify({ type: 'charge.captured', provider_ref: 'sim_auth_nope', amount_cents: 100 });
    const event = await deliver('gateway-sim', unknown);
    expect(event?.status).toBe('failed');
    expect(event?.last_error).toMatch(/no payment intent/);

    const intent = await authorized(800);
    const manager = shop.as('manager');
    const voided = await manager.post(`/v1/payment_intents/${intent.id}/void`, {});
    expect(voided.statusCode, voided.body).toBe(200);
    const ref = voided.json<{ provider_ref: string }>().provider_ref;
    const late = JSON.stringify({ type: 'charge.captured', provider_ref: ref, amount_cents: 800 });
    expect((await deliver('gateway-sim', late))?.status).toBe('failed');
    expect(await intentRow(intent.id)).toMatchObject({ state: 'voided', captured_cents: 0 });
  });
});

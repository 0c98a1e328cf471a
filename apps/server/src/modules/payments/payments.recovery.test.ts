import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, useShop } from '../../../test/harness.ts';
import { until } from '../../../test/timing.ts';
import { freePort, simAuthorizations, startSimulatorProcess, type RunningSimulator } from './payments.fixtures.ts';

let sim: RunningSimulator;
let port: number;
let stateFile: string;

beforeAll(async () => {
  stateFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'novapos-sim-')), 'state.json');
  port = await freePort();
  // Its slow answer outlasts the client's timeout many times over: the kill lands while the server waits.
  sim = await startSimulatorProcess({ port, stateFile, slowMs: 10_000 });
});
afterAll(async () => {
  await sim.kill();
});

// Opened once the simulator listens (its URL is read then), closed before it is killed.
const shop = useShop({ env: () => ({ GATEWAY_URL: sim.url, GATEWAY_TIMEOUT_MS: '300' }), roles: ['cashier'] });
const cashier = shop.as('cashier');

describe('the processor dies in the middle of an authorization', () => {
  it('kill -9 while the server waits, restart on the same state: confirming again charges once', async () => {
    const created = await cashier.post('/v1/payment_intents', {
      amount_cents: 4321,
      currency: 'USD',
      capture_method: 'manual',
    });
    const id = created.json().id as string;
    const key = `confirm-${id}`;
    const confirm = () =>
      cashier.post(
        `/v1/payment_intents/${id}/confirm`,
        { card_token: 'tok_timeout' },
        { headers: { 'idempotency-key': key } },
      );

    const first = confirm();
    // The simulator records the authorization, then sits on its answer: kill it right then.
    await until('the simulator to record the authorization', async () =>
      (await simAuthorizations(sim.url)).some((a) => a.amount_cents === 4321),
    );
    await sim.kill();
    const failed = await first;
    expectProblem(failed, 503, 'gateway_unavailable');
    const waiting = await cashier.get(`/v1/payment_intents/${id}`);
    expect(waiting.json()).toMatchObject({ state: 'created' });
    expect(waiting.json().last_error).toMatch(/did not answer/);

    sim = await startSimulatorProcess({ port, stateFile, slowMs: 10_000 });
    const retried = await confirm();
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ state: 'authorized', authorized_cents: 4321, card_last4: '0341' });

    const charges = (await simAuthorizations(sim.url)).filter((a) => a.amount_cents === 4321);
    expect(charges).toHaveLength(1);
    expect(charges[0]?.provider_ref).toBe(retried.json().provider_ref);
  });
});

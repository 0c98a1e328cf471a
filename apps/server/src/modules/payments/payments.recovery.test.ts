import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestTenant, expectProblem, login, type TestApp } from '../../../test/harness.ts';
import { freePort, simAuthorizations, startSimulatorProcess, type RunningSimulator } from './payments.fixtures.ts';

let sim: RunningSimulator;
let t: TestApp;
let cashier: string;
let port: number;
let stateFile: string;

beforeAll(async () => {
  stateFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'novapos-sim-')), 'state.json');
  port = await freePort();
  // Its slow answer outlasts the client's timeout many times over: the kill lands while the server waits.
  sim = await startSimulatorProcess({ port, stateFile, slowMs: 10_000 });
  t = await createTestApp({ GATEWAY_URL: sim.url, GATEWAY_TIMEOUT_MS: '300' });
  const shop = await createTestTenant(t);
  cashier = (await login(t, shop.emails.cashier)).access_token;
}, 30_000);
afterAll(async () => {
  await t.close();
  await sim.kill();
});

describe('the processor dies in the middle of an authorization', () => {
  it('kill -9 while the server waits, restart on the same state: confirming again charges once', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/payment_intents',
      headers: bearer(cashier),
      payload: { amount_cents: 4321, currency: 'USD', capture_method: 'manual' },
    });
    const id = created.json().id as string;
    const key = `confirm-${id}`;
    const confirm = () =>
      t.app.inject({
        method: 'POST',
        url: `/v1/payment_intents/${id}/confirm`,
        headers: { ...bearer(cashier), 'idempotency-key': key },
        payload: { card_token: 'tok_timeout' },
      });

    const first = confirm();
    // The simulator records the authorization, then sits on its answer: kill it right then.
    for (let i = 0; i < 500; i++) {
      if ((await simAuthorizations(sim.url)).some((a) => a.amount_cents === 4321)) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await sim.kill();
    const failed = await first;
    expectProblem(failed, 503, 'gateway_unavailable');
    const waiting = await t.app.inject({ method: 'GET', url: `/v1/payment_intents/${id}`, headers: bearer(cashier) });
    expect(waiting.json()).toMatchObject({ state: 'created' });
    expect(waiting.json().last_error).toMatch(/did not answer/);

    sim = await startSimulatorProcess({ port, stateFile, slowMs: 10_000 });
    const retried = await confirm();
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ state: 'authorized', authorized_cents: 4321, card_last4: '0341' });

    const charges = (await simAuthorizations(sim.url)).filter((a) => a.amount_cents === 4321);
    expect(charges).toHaveLength(1);
    expect(charges[0]?.provider_ref).toBe(retried.json().provider_ref);
  }, 30_000);
});

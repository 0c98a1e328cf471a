import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestDatabase,
  createTestTenant,
  expectProblem,
  login,
  type TestApp,
} from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../platform/config.ts';
import { ephemeralSecrets } from '../../platform/secrets.ts';
import { createRuntime } from '../../runtime.ts';

// Every log line the app writes, at the most talkative level.
const lines: string[] = [];
let t: TestApp;
let cashier: string;

beforeAll(async () => {
  const database = await createTestDatabase();
  // No GATEWAY_URL: card payments are off.
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'trace',
    DATA_DIR: path.join(os.tmpdir(), 'novapos-test-data'),
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const runtime = createRuntime(config, database.db, ephemeralSecrets(), { logger: pino({ level: 'trace' }, sink) });
  const app = await buildApp(runtime.deps);
  await app.ready();
  t = {
    app,
    deps: runtime.deps,
    config,
    database,
    runtime,
    close: async () => {
      await app.close();
      await runtime.close();
      await database.close();
    },
  };
  const shop = await createTestTenant(t);
  cashier = (await login(t, shop.emails.cashier)).access_token;
});
afterAll(() => t.close());

async function newIntent(): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/payment_intents',
    headers: bearer(cashier),
    payload: { amount_cents: 100, currency: 'USD' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

describe('card numbers and a server without a processor', () => {
  it('refuses a card number with 400 and never writes it to a log', async () => {
    const id = await newIntent();
    for (const pan of ['4111111111111111', '5555-5555-5555-4444']) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/v1/payment_intents/${id}/confirm`,
        headers: bearer(cashier),
        payload: { card_token: pan },
      });
      expectProblem(res, 400, 'invalid_card_token');
      expect(res.body).not.toContain(pan);
    }
    expect(lines.length).toBeGreaterThan(0);
    const all = lines.join('');
    expect(all).not.toContain('4111111111111111');
    expect(all).not.toContain('5555-5555-5555-4444');
  });

  it('without GATEWAY_URL a confirm is 503 payments_disabled, and the intent is untouched', async () => {
    const id = await newIntent();
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/payment_intents/${id}/confirm`,
      headers: bearer(cashier),
      payload: { card_token: 'tok_visa' },
    });
    expectProblem(res, 503, 'payments_disabled');
    const read = await t.app.inject({ method: 'GET', url: `/v1/payment_intents/${id}`, headers: bearer(cashier) });
    expect(read.json().state).toBe('created');
  });
});

import { describe, expect, it } from 'vitest';
import { expectProblem, useShop } from '../../../test/harness.ts';
import { postWebhook, signDelivery } from './webhooks.test-helpers.ts';

const ACTIVE = 'whsec_active_0123456789abcdef';
const PREVIOUS = 'whsec_previous_0123456789abcdef';
// Processors sign; nobody signs in.
const t = useShop({ env: { WEBHOOK_ACTIVE_SECRET: ACTIVE, WEBHOOK_PREVIOUS_SECRET: PREVIOUS }, roles: [] });

interface StoredEvent {
  provider: string;
  provider_header: string | null;
  event_type: string | null;
  external_id: string | null;
  payload: unknown;
  raw: string;
  status: string;
  signed_with: string;
  last_error: string | null;
}

async function storedEvent(id: string): Promise<StoredEvent | undefined> {
  const { rows } = await t.db.query<StoredEvent>(
    `SELECT provider, provider_header, event_type, external_id, payload, convert_from(raw_body, 'UTF8') AS raw,
            status, signed_with, last_error FROM webhook_events WHERE id = $1`,
    [id],
  );
  return rows[0];
}

async function eventCount(): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_events');
  return rows[0]!.n;
}

const body = JSON.stringify({ id: 'evt_1', type: 'payment_intent.captured', data: { intent_id: 'pi_1' } });

describe('POST /v1/webhooks/:provider', () => {
  it('stores a correctly signed event and answers 202 {id, status}', async () => {
    const signed = signDelivery(ACTIVE, body);
    const headers = { ...signed, 'x-provider': 'TestPay' };
    const res = await postWebhook(t, 'testpay', body, headers);
    expect(res.statusCode, res.body).toBe(202);
    const { id, status } = res.json();
    expect(status).toBe('received');
    expect(await storedEvent(id)).toEqual({
      provider: 'testpay',
      provider_header: 'TestPay',
      event_type: 'payment_intent.captured',
      external_id: 'evt_1',
      payload: JSON.parse(body),
      raw: body,
      status: 'received',
      signed_with: 'active',
      last_error: null,
    });
    const { rows } = await t.db.query('SELECT provider FROM webhook_nonces WHERE nonce = $1', [signed['x-nonce']]);
    expect(rows).toEqual([{ provider: 'testpay' }]);
    const metrics = await t.anon.get('/metrics');
    expect(metrics.body).toMatch(/webhook_events_total\{provider="testpay",status="received"\} [1-9]/);
  });

  it('accepts a signature by the previous secret during a rotation', async () => {
    const res = await postWebhook(t, 'testpay', body, signDelivery(PREVIOUS, body));
    expect(res.statusCode, res.body).toBe(202);
    expect((await storedEvent(res.json().id))?.signed_with).toBe('previous');
  });

  it.each(['x-signature', 'x-timestamp', 'x-nonce'])('refuses a delivery without %s: 401 sig_missing', async (h) => {
    const headers = Object.fromEntries(Object.entries(signDelivery(ACTIVE, body)).filter(([k]) => k !== h));
    const before = await eventCount();
    expectProblem(await postWebhook(t, 'testpay', body, headers), 401, 'sig_missing');
    expect(await eventCount()).toBe(before);
  });

  it('refuses an over-long nonce with sig_missing before it reaches the database', async () => {
    const headers = signDelivery(ACTIVE, body, { nonce: 'n'.repeat(201) });
    expectProblem(await postWebhook(t, 'testpay', body, headers), 401, 'sig_missing');
  });

  it.each(['soon', '1.5', '-100', '', '１２３'])('refuses X-Timestamp "%s": 401 sig_ts_invalid', async (ts) => {
    const headers = signDelivery(ACTIVE, body, { ts });
    const code = ts === '' ? 'sig_missing' : 'sig_ts_invalid';
    expectProblem(await postWebhook(t, 'testpay', body, headers), 401, code);
  });

  it('refuses a timestamp more than WEBHOOK_MAX_SKEW_SECS away, either way: 401 sig_skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const ts of [now - 301, now + 301]) {
      expectProblem(await postWebhook(t, 'testpay', body, signDelivery(ACTIVE, body, { ts })), 401, 'sig_skew');
    }
    const edge = await postWebhook(t, 'testpay', body, signDelivery(ACTIVE, body, { ts: now - 290 }));
    expect(edge.statusCode).toBe(202);
  });

  it('refuses a wrong secret, a signature of another body and a malformed header: 401 sig_mismatch', async () => {
    const before = await eventCount();
    const wrong = signDelivery('whsec_someone_else_0123456789', body);
    expectProblem(await postWebhook(t, 'testpay', body, wrong), 401, 'sig_mismatch');
    const other = signDelivery(ACTIVE, JSON.stringify({ type: 'payment_intent.refunded' }));
    expectProblem(await postWebhook(t, 'testpay', body, other), 401, 'sig_mismatch');
    const bad = { ...signDelivery(ACTIVE, body), 'x-signature': 'md5=abc' };
    expectProblem(await postWebhook(t, 'testpay', body, bad), 401, 'sig_mismatch');
    const short = { ...signDelivery(ACTIVE, body), 'x-signature': 'sha256=abcd' };
    expectProblem(await postWebhook(t, 'testpay', body, short), 401, 'sig_mismatch');
    expect(await eventCount()).toBe(before);
  });

  it('refuses a replayed nonce: 401 sig_replay, and stores nothing the second time', async () => {
    const headers = signDelivery(ACTIVE, body);
    expect((await postWebhook(t, 'testpay', body, headers)).statusCode).toBe(202);
    const before = await eventCount();
    expectProblem(await postWebhook(t, 'testpay', body, headers), 401, 'sig_replay');
    // The same nonce at another provider is a replay too: nonces are single-use across the platform.
    expectProblem(await postWebhook(t, 'otherpay', body, headers), 401, 'sig_replay');
    expect(await eventCount()).toBe(before);
  });

  it.each([
    ['not JSON', '{"type": "payment_intent.captured",'],
    ['not an object', '[1, 2]'],
    ['without a type', '{"id": "evt_2"}'],
    ['with a NUL character', '{"type": "x", "note": "\\u0000"}'],
    ['empty', ''],
  ])('stores a signed body that is %s as failed and answers 400 malformed_webhook', async (_name, raw) => {
    const res = await postWebhook(t, 'testpay', raw, signDelivery(ACTIVE, raw));
    expectProblem(res, 400, 'malformed_webhook');
    const stored = await storedEvent(res.json().event_id);
    expect(stored).toMatchObject({ status: 'failed', payload: null, raw, provider: 'testpay' });
    expect(stored?.last_error).toBeTypeOf('string');
  });

  it('refuses a bad provider name (400) and a non-JSON media type (415)', async () => {
    const res = await postWebhook(t, 'Bad.Provider', body, signDelivery(ACTIVE, body));
    expectProblem(res, 400, 'validation_failed');
    const text = await t.anon.post('/v1/webhooks/testpay', body, {
      headers: { 'content-type': 'text/plain', ...signDelivery(ACTIVE, body) },
    });
    expectProblem(text, 415, 'unsupported_media_type');
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const big = JSON.stringify({ type: 'x', pad: 'a'.repeat(1024 * 1024) });
    expectProblem(await postWebhook(t, 'testpay', big, signDelivery(ACTIVE, big)), 413, 'payload_too_large');
  });
});

describe('secret rotation and configuration', () => {
  describe('after a rotation', () => {
    const rotated = useShop({ env: { WEBHOOK_ACTIVE_SECRET: ACTIVE }, roles: [] });

    it('rejects the previous secret once it is removed', async () => {
      expectProblem(await postWebhook(rotated, 'testpay', body, signDelivery(PREVIOUS, body)), 401, 'sig_mismatch');
      expect((await postWebhook(rotated, 'testpay', body, signDelivery(ACTIVE, body))).statusCode).toBe(202);
    });
  });

  describe('without a secret', () => {
    const off = useShop({ roles: [] });

    it('answers 503 webhooks_disabled when no secret is configured', async () => {
      expectProblem(await postWebhook(off, 'testpay', body, signDelivery(ACTIVE, body)), 503, 'webhooks_disabled');
    });
  });
});

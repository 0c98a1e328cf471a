import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, useShop } from '../../../test/harness.ts';
import { eventually } from '../../../test/timing.ts';
import { createWebhookProcessor, registerWebhookHandler, type WebhookEvent, type WebhookProcessor } from './index.ts';
import { postWebhook, signDelivery } from './webhooks.test-helpers.ts';

const ACTIVE = 'whsec_active_0123456789abcdef';
const shop = useShop({ env: { WEBHOOK_ACTIVE_SECRET: ACTIVE } });
const operator = shop.as('superadmin');
let processor: WebhookProcessor;

beforeAll(async () => {
  // Short back-off: three attempts in all (two retries 10 ms apart).
  processor = createWebhookProcessor(
    { db: shop.deps.db, logger: pino({ level: 'silent' }), metrics: shop.deps.metrics },
    { backoffMs: [10, 10] },
  );
  await shop.operatorToken();
});
afterAll(async () => {
  await processor.stop();
});

let seq = 0;
/** Delivers a signed event of `type` at `provider` and returns its id. */
async function deliver(provider: string, type: string): Promise<string> {
  const body = JSON.stringify({ id: `evt_${++seq}`, type, data: { n: seq } });
  const res = await postWebhook(shop, provider, body, signDelivery(ACTIVE, body));
  expect(res.statusCode, res.body).toBe(202);
  return res.json<{ id: string }>().id;
}

interface EventRow {
  status: string;
  attempts: number;
  last_error: string | null;
  processed_at: Date | null;
}

async function eventRow(id: string): Promise<EventRow | undefined> {
  const { rows } = await shop.db.query<EventRow>(
    'SELECT status, attempts, last_error, processed_at FROM webhook_events WHERE id = $1',
    [id],
  );
  return rows[0];
}

describe('WebhookProcessor', () => {
  it('retries a handler that throws and marks the event processed when it succeeds', async () => {
    const seen: WebhookEvent[] = [];
    const off = registerWebhookHandler('flaky', 'payment_intent.captured', async ({ tx }, event) => {
      seen.push(event);
      // A write through tx that must vanish with the failed attempts and commit with the successful one.
      await tx.query(`INSERT INTO webhook_nonces (nonce, ts, provider) VALUES ($1, now(), 'flaky')`, [
        `side-effect-${event.id}`,
      ]);
      if (seen.length <= 2) throw new Error(`gateway said no (${seen.length})`);
    });
    try {
      const id = await deliver('flaky', 'payment_intent.captured');
      await processor.drain();
      expect(seen.map((e) => e.attempts)).toEqual([0, 1, 2]);
      expect(seen[0]).toMatchObject({ id, provider: 'flaky', externalId: `evt_${seq}`, payload: { data: { n: seq } } });
      expect(await eventRow(id)).toMatchObject({ status: 'processed', attempts: 3, last_error: null });
      const { rows } = await shop.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM webhook_nonces WHERE nonce = $1',
        [`side-effect-${id}`],
      );
      expect(rows[0]?.n).toBe(1);
    } finally {
      off();
    }
  });

  it('marks an event failed after the last attempt', async () => {
    const off = registerWebhookHandler('broken', 'payment_intent.refunded', () => Promise.reject(new Error('boom')));
    try {
      const id = await deliver('broken', 'payment_intent.refunded');
      await processor.drain();
      expect(await eventRow(id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'boom' });
    } finally {
      off();
    }
  });

  it('marks an event with no registered handler ignored, not failed', async () => {
    const id = await deliver('nobody', 'charge.disputed');
    await processor.drain();
    expect(await eventRow(id)).toMatchObject({ status: 'ignored', attempts: 1 });
  });

  it('runs in the background once started, woken by a stored event', async () => {
    const done: string[] = [];
    const off = registerWebhookHandler('live', 'ping', async (_c, event) => {
      done.push(event.id);
    });
    await processor.start();
    try {
      const id = await deliver('live', 'ping');
      await eventually(() => expect(done).toEqual([id]));
      await eventually(async () => expect((await eventRow(id))?.status).toBe('processed'));
    } finally {
      await processor.stop();
      off();
    }
  });
});

describe('operators: GET /v1/webhooks/events and POST /v1/webhooks/events/:id/replay', () => {
  it('lists failed events and replays one, which the now working handler processes', async () => {
    let healthy = false;
    const off = registerWebhookHandler('replayco', 'payment_intent.captured', () =>
      healthy ? Promise.resolve() : Promise.reject(new Error('not yet')),
    );
    try {
      const id = await deliver('replayco', 'payment_intent.captured');
      await processor.drain();
      const list = await operator.get('/v1/webhooks/events?status=failed&provider=replayco');
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json()).toMatchObject({
        data: [{ id, provider: 'replayco', status: 'failed', attempts: 3, last_error: 'not yet' }],
        next_cursor: null,
      });

      healthy = true;
      const replay = await operator.post(`/v1/webhooks/events/${id}/replay`);
      expect(replay.statusCode, replay.body).toBe(200);
      expect(replay.json()).toMatchObject({ id, status: 'received', attempts: 0 });
      await processor.drain();
      expect(await eventRow(id)).toMatchObject({ status: 'processed', attempts: 1, last_error: null });

      expect(await shop.audit({ action: 'webhook.replayed', entityId: id })).toMatchAudit([
        {
          tenant_id: null,
          chain_key: 'platform',
          data: expect.objectContaining({ provider: 'replayco', previous_status: 'failed', previous_attempts: 3 }),
        },
      ]);
      // Processed: replaying again is refused.
      const again = await operator.post(`/v1/webhooks/events/${id}/replay`);
      expectProblem(again, 409, 'invalid_state_transition');
    } finally {
      off();
    }
  });

  it('pages through events with a cursor', async () => {
    for (let i = 0; i < 3; i++) await deliver('pager', 'ping');
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor === null ? '' : `&cursor=${cursor}`;
      const res = await operator.get(`/v1/webhooks/events?provider=pager&limit=2${q}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ data: { id: string }[]; next_cursor: string | null }>();
      ids.push(...page.data.map((e) => e.id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(ids).toHaveLength(3);
    expect([...ids].sort().reverse()).toEqual(ids);
  });

  it('refuses an unknown event (404), a malformed one (409) and a bad status filter (400)', async () => {
    const missing = await operator.post('/v1/webhooks/events/0190a000-0000-7000-8000-000000000000/replay');
    expectProblem(missing, 404, 'webhook_event_not_found');
    const raw = '{oops';
    const malformed = await postWebhook(shop, 'testpay', raw, signDelivery(ACTIVE, raw));
    const replay = await operator.post(`/v1/webhooks/events/${malformed.json().event_id}/replay`);
    expectProblem(replay, 409, 'invalid_state_transition');
    const bad = await operator.get('/v1/webhooks/events?status=lost');
    expectProblem(bad, 400, 'validation_failed');
  });

  it('is for superadmins only: a tenant owner gets 403, nobody signed in 401', async () => {
    const ownerToken = shop.as('owner');
    const list = await ownerToken.get('/v1/webhooks/events');
    expectProblem(list, 403, 'forbidden');
    const id = await deliver('nobody', 'ping');
    const replay = await ownerToken.post(`/v1/webhooks/events/${id}/replay`);
    expectProblem(replay, 403, 'forbidden');
    expectProblem(await shop.anon.get('/v1/webhooks/events'), 401, 'unauthorized');
  });
});

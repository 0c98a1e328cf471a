import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useShop } from '../../../test/harness.ts';
import { systemContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { addOutboxEvent, createEvents, type Events, type OutboxEvent } from '../../platform/events/index.ts';
import { postJson } from './http-post.ts';
import { createDeliveryWorker, fanOutEvent, subscribeOutgoingWebhooks } from './index.ts';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const t = useShop({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }, roles: [] });
let events: Events;
let server: http.Server;
let base: string;
const received: Received[] = [];
/** Status codes a path answers with, one per request (the last repeats); 200 when unset. */
const script = new Map<string, number[]>();

beforeAll(async () => {
  // The delivery tests post to a real HTTP server on 127.0.0.1: the app must allow private URLs.
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body });
      const codes = script.get(path) ?? [200];
      const code = codes.length > 1 ? (codes.shift() as number) : (codes[0] as number);
      res.writeHead(code).end(code < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  events = await createEvents({
    config: t.config,
    db: t.deps.db,
    metrics: t.deps.metrics,
    logger: t.t.runtime.deps.logger!,
  });
  await subscribeOutgoingWebhooks(events.bus, { db: t.deps.db });
});
afterAll(async () => {
  await events.close();
  await new Promise((resolve) => server.close(resolve));
});

function worker(options: { schedule?: number[]; disableAfterFailures?: number; allowPrivateUrls?: boolean } = {}) {
  return createDeliveryWorker({
    db: t.deps.db,
    logger: t.t.runtime.deps.logger!,
    metrics: t.deps.metrics,
    allowPrivateUrls: true,
    ...options,
  });
}

async function setup(paths: Record<string, string[]>) {
  const tenant = await t.addTenant(undefined, ['admin']);
  const admin = tenant.as('admin');
  const endpoints: Record<string, { id: string; secret: string }> = {};
  for (const [path, types] of Object.entries(paths)) {
    const res = await admin.post('/v1/webhook_endpoints', { url: `${base}${path}`, event_types: types });
    expect(res.statusCode, res.body).toBe(201);
    endpoints[path] = res.json();
  }
  return { tenant, admin, endpoints };
}

/** Commits an outbox event of the tenant and relays it through the bus to the fan-out consumer. */
async function raise(tenantId: string, topic: string, payload: Record<string, unknown>): Promise<string> {
  const ctx = systemContext(tenantId, 'req-hooks-test');
  const id = await tenantTx(t.deps.db, ctx, (tx) => addOutboxEvent(tx, ctx, { topic, payload }));
  await events.relay.drain();
  return id;
}

async function owner<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
  return (await t.db.query<R>(sql, params)).rows;
}

/** The Standard Webhooks check, written from the spec here rather than imported from the signer. */
function verify(secret: string, r: Received): boolean {
  const id = r.headers['webhook-id'] as string;
  const ts = r.headers['webhook-timestamp'] as string;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${r.body}`).digest();
  const given = String(r.headers['webhook-signature'])
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  return given.some((g) => g.length === expected.length && timingSafeEqual(g, expected));
}

const at = (path: string) => received.filter((r) => r.path === path);

describe('outgoing webhook delivery', () => {
  it('delivers a signed Standard Webhooks POST once per event, however often the event is redelivered', async () => {
    const { tenant, admin, endpoints } = await setup({ '/ok': ['order.completed'] });
    const eventId = await raise(tenant.tenantId, 'order.completed', { order_id: 'o-1', total_cents: 1250 });
    await worker().drain();

    const [got, ...more] = at('/ok');
    expect(more).toEqual([]);
    expect(got).toBeDefined();
    const r = got as Received;
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(r.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verify(endpoints['/ok']!.secret, r)).toBe(true);
    expect(verify(`whsec_${Buffer.alloc(24).toString('base64')}`, r)).toBe(false);
    const body = JSON.parse(r.body);
    expect(body).toEqual({
      type: 'order.completed',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: { order_id: 'o-1', total_cents: 1250 },
    });

    // The bus delivers the same event again (at least once), even after its processed_events row is gone.
    const event: OutboxEvent = {
      id: eventId,
      tenantId: tenant.tenantId,
      requestId: null,
      topic: 'order.completed',
      payload: { order_id: 'o-1', total_cents: 1250 },
      createdAt: body.timestamp,
    };
    expect(await fanOutEvent(t.deps.db, event)).toBe(0);
    await owner('DELETE FROM processed_events WHERE event_id = $1', [eventId]);
    expect(await fanOutEvent(t.deps.db, event)).toBe(0);
    await worker().drain();
    expect(at('/ok')).toHaveLength(1);

    const log = await admin.get(`/v1/webhook_endpoints/${endpoints['/ok']!.id}/deliveries`);
    expect(log.json().data).toEqual([
      expect.objectContaining({
        id: r.headers['webhook-id'],
        event_id: eventId,
        status: 'delivered',
        attempts: 1,
        attempt_log: [expect.objectContaining({ attempt: 1, status_code: 200, error: null })],
      }),
    ]);
  });

  it('retries with back-off: 500, 500, then 200 is delivered on the third attempt with three logs', async () => {
    script.set('/flaky', [500, 500, 200]);
    const { tenant, admin, endpoints } = await setup({ '/flaky': ['payment.completed'] });
    await raise(tenant.tenantId, 'payment.completed', { amount_cents: 500 });
    await worker({ schedule: [20, 20, 20] }).drain();

    const got = at('/flaky');
    expect(got).toHaveLength(3);
    // The same webhook-id on every retry, each attempt signed afresh.
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(got.every((r) => verify(endpoints['/flaky']!.secret, r))).toBe(true);
    const log = await admin.get(`/v1/webhook_endpoints/${endpoints['/flaky']!.id}/deliveries`);
    const [delivery] = log.json().data;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200 });
    expect(delivery.attempt_log.map((a: { status_code: number }) => a.status_code)).toEqual([500, 500, 200]);
    const endpoint = await admin.get(`/v1/webhook_endpoints/${endpoints['/flaky']!.id}`);
    expect(endpoint.json()).toMatchObject({ status: 'enabled', failure_count: 0 });
  });

  it('fails a delivery after its schedule and disables an endpoint that keeps failing, telling the tenant', async () => {
    script.set('/down', [503]);
    const { tenant, admin, endpoints } = await setup({ '/down': ['inventory.low_stock'] });
    const id = endpoints['/down']!.id;
    await raise(tenant.tenantId, 'inventory.low_stock', { sku: 'A' });
    await worker({ schedule: [10, 10], disableAfterFailures: 10 }).drain();
    let deliveries = (await admin.get(`/v1/webhook_endpoints/${id}/deliveries`)).json();
    expect(deliveries.data[0]).toMatchObject({ status: 'failed', attempts: 3, last_error: 'HTTP 503' });
    expect(deliveries.data[0].attempt_log).toHaveLength(3);

    // Three more failures reach the threshold of 5 failed attempts in a row: disabled.
    await raise(tenant.tenantId, 'inventory.low_stock', { sku: 'B' });
    await worker({ schedule: [10, 10], disableAfterFailures: 5 }).drain();
    const endpoint = (await admin.get(`/v1/webhook_endpoints/${id}`)).json();
    expect(endpoint).toMatchObject({ status: 'disabled', failure_count: 5 });
    expect(endpoint.disabled_reason).toContain('5 delivery attempts failed');
    deliveries = (await admin.get(`/v1/webhook_endpoints/${id}/deliveries`)).json();
    expect(deliveries.data[0]).toMatchObject({ status: 'failed', attempts: 2 });
    expect(at('/down')).toHaveLength(5);

    expect(await t.audit({ entityId: id, action: 'webhook_endpoint.disabled' })).toMatchAudit([
      'webhook_endpoint.disabled',
    ]);
    const outbox = await owner<{ payload: { endpoint_id: string } }>(
      `SELECT payload FROM outbox WHERE tenant_id = $1 AND topic = 'webhook_endpoint.disabled'`,
      [tenant.tenantId],
    );
    expect(outbox.map((o) => o.payload.endpoint_id)).toEqual([id]);

    // A disabled endpoint gets nothing new; re-enabling resets its failures and it receives again.
    await raise(tenant.tenantId, 'inventory.low_stock', { sku: 'C' });
    await worker().drain();
    expect(at('/down')).toHaveLength(5);
    script.set('/down', [200]);
    const enabled = await admin.patch(`/v1/webhook_endpoints/${id}`, { status: 'enabled' });
    expect(enabled.json()).toMatchObject({ status: 'enabled', failure_count: 0, disabled_reason: null });
    await raise(tenant.tenantId, 'inventory.low_stock', { sku: 'D' });
    await worker().drain();
    expect(JSON.parse(at('/down').at(-1)!.body).data).toEqual({ sku: 'D' });
  });

  it('sends each event only to endpoints subscribed to its type, and never to another tenant', async () => {
    const mine = await setup({ '/orders': ['order.completed'], '/all': ['*'], '/refunds': ['payment.refunded'] });
    const theirs = await setup({ '/theirs': ['*'] });
    await raise(mine.tenant.tenantId, 'payment.refunded', { refund: 1 });
    await raise(mine.tenant.tenantId, 'stock.adjusted', { qty: 2 });
    await worker().drain();
    const types = (path: string): string[] => at(path).map((r) => (JSON.parse(r.body) as { type: string }).type);
    expect(types('/orders')).toEqual([]);
    expect(types('/refunds')).toEqual(['payment.refunded']);
    expect(types('/all').sort()).toEqual(['payment.refunded', 'stock.adjusted']);
    expect(types('/theirs')).toEqual([]);
    expect(theirs.endpoints['/theirs']).toBeDefined();
  });

  it('re-checks the URL at delivery time: a worker without the allowance refuses private targets', async () => {
    const { tenant, admin, endpoints } = await setup({ '/guarded': ['order.completed'] });
    await raise(tenant.tenantId, 'order.completed', { n: 1 });
    await worker({ allowPrivateUrls: false, schedule: [] }).drain();
    expect(at('/guarded')).toEqual([]);
    const log = await admin.get(`/v1/webhook_endpoints/${endpoints['/guarded']!.id}/deliveries`);
    expect(log.json().data[0]).toMatchObject({ status: 'failed', attempts: 1, last_status_code: null });
    expect(log.json().data[0].last_error).toMatch(/^url refused: /);
  });

  it("refuses a name that resolves to a private address when connecting (the connection's own lookup)", async () => {
    const port = (server.address() as AddressInfo).port;
    const result = await postJson(`http://localhost:${port}/lookup`, {}, '{}', {
      timeoutMs: 2000,
      allowPrivateUrls: false,
    });
    expect(result).toEqual({ statusCode: null, error: expect.stringContaining('private address') });
    expect(at('/lookup')).toEqual([]);
  });
});

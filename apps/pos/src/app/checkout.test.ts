// The till's IndexedDB, in memory (the real queue code runs on it); the server is the one thing played here.
import 'fake-indexeddb/auto';
import { ApiError } from '@novapos/api-client';
import { beforeEach, expect, test } from 'vitest';
import type { Order, OrderBody } from '../api/types.ts';
import { tillDb } from '../data/db.ts';
import { TILL_CONTEXT } from '../test-fixtures.ts';
import { checkout, flushQueue, refreshQueueCounts } from './checkout.ts';
import { setOnline, syncState } from './connection.ts';

/** What the server does with one send it receives. */
type Answer = 'completed' | 'answer-lost' | 'declined' | 'refused' | 'short' | 'key-in-use';

/**
 * POST /v1/orders as the till sees it. Orders are kept by client id and a repeated id answers the first order, as
 * the server does; `down` is a server the till cannot reach; `script` answers the next sends that arrive.
 */
class Server {
  down = false;
  readonly script: Answer[] = [];
  readonly orders = new Map<string, Order>();
  /** Every send that arrived: the body's client id and the Idempotency-Key. */
  readonly received: { id: string; key: string }[] = [];

  readonly send = (body: OrderBody, key: string): Promise<Order> => {
    if (this.down) return Promise.reject(new ApiError({ code: 'network_error', status: 0 }));
    const id = body.id ?? '';
    this.received.push({ id, key });
    const answer = this.script.shift() ?? 'completed';
    if (answer === 'declined') return Promise.reject(new ApiError({ code: 'payment_declined', status: 402 }));
    if (answer === 'refused') return Promise.reject(new ApiError({ code: 'variant_archived', status: 422 }));
    if (answer === 'key-in-use') return Promise.reject(new ApiError({ code: 'idempotency_key_in_use', status: 409 }));
    // The checkout reads an order's id and status; the rest of the server's answer does not matter here.
    const order = this.orders.get(id) ?? ({ id, status: answer === 'short' ? 'open' : 'completed' } as Order);
    this.orders.set(id, order);
    if (answer === 'answer-lost') return Promise.reject(new ApiError({ code: 'network_error', status: 0 }));
    return Promise.resolve(order);
  };

  /** The client ids of the sends that arrived, in order. */
  ids(): string[] {
    return this.received.map((r) => r.id);
  }
}

let server: Server;
let n = 0;

/** A cash sale of `cents` (card: a card sale), with a fresh client id. */
function sale(method: 'cash' | 'card' = 'cash', cents = 199): OrderBody {
  n += 1;
  return {
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    register_id: TILL_CONTEXT.register_id,
    location_id: TILL_CONTEXT.location_id,
    items: [{ variant_id: '00000000-0000-7000-8000-000000000001', quantity: 1 }],
    tenders:
      method === 'card'
        ? [{ method: 'card', amount_cents: cents, card_token: 'tok_visa' }]
        : [{ method: 'cash', amount_cents: cents }],
  };
}

async function queued(): Promise<{ id: string; error: string | undefined }[]> {
  const all = await (await tillDb()).getAll('queue');
  return all.map((s) => ({ id: s.id, error: s.error?.code }));
}

beforeEach(async () => {
  server = new Server();
  await (await tillDb()).clear('queue');
  await refreshQueueCounts();
  setOnline(true);
});

test('online, a sale is sent with its client id as the Idempotency-Key and nothing is queued', async () => {
  const body = sale();
  const result = await checkout(body, { card: false, send: server.send });
  expect(result).toEqual({ kind: 'sent', order: { id: body.id, status: 'completed' } });
  expect(server.received).toEqual([{ id: body.id, key: body.id }]);
  expect(await queued()).toEqual([]);
  expect(syncState()).toEqual({ online: true, queued: 0, failed: 0 });
});

test('offline, a cash sale is queued, and sent once when the server answers again', async () => {
  server.down = true;
  setOnline(false);
  const body = sale();
  let sending = false;
  const result = await checkout(body, { card: false, send: server.send, onSend: () => (sending = true) });
  expect(result).toEqual({ kind: 'queued' });
  // Straight to the queue: the screen never showed the sale as being sent.
  expect(sending).toBe(false);
  await flushQueue(server.send);
  expect(await queued()).toEqual([{ id: body.id, error: undefined }]);
  expect(syncState()).toEqual({ online: false, queued: 1, failed: 0 });

  server.down = false;
  await flushQueue(server.send);
  expect(server.received).toEqual([{ id: body.id, key: body.id }]);
  expect(await queued()).toEqual([]);
  expect(syncState()).toEqual({ online: true, queued: 0, failed: 0 });
  await flushQueue(server.send);
  expect(server.orders.size).toBe(1);
});

test('queued sales are sent oldest first, and a new cash sale waits behind them even online', async () => {
  server.down = true;
  setOnline(false);
  const [a, b, c] = [sale(), sale(), sale()];
  for (const body of [a, b]) await checkout(body, { card: false, send: server.send });
  await flushQueue(server.send);
  expect(server.received).toEqual([]);

  server.down = false;
  setOnline(true);
  // Two sales wait: the third joins the queue behind them rather than overtaking them.
  expect(await checkout(c, { card: false, send: server.send })).toEqual({ kind: 'queued' });
  await flushQueue(server.send);
  expect(server.ids()).toEqual([a.id, b.id, c.id]);
  expect(await queued()).toEqual([]);
});

test('a sale whose answer was lost is queued; its replay carries the same id and key and finds the first order', async () => {
  const body = sale();
  server.script.push('answer-lost');
  const result = await checkout(body, { card: false, send: server.send });
  expect(result).toEqual({ kind: 'queued' });
  await flushQueue(server.send);
  expect(server.received).toEqual([
    { id: body.id, key: body.id },
    { id: body.id, key: body.id },
  ]);
  expect(server.orders.size).toBe(1);
  expect(await queued()).toEqual([]);
  expect(syncState()).toEqual({ online: true, queued: 0, failed: 0 });
});

test('a network failure stops the run; the rest wait, in order, for the next one', async () => {
  server.down = true;
  setOnline(false);
  const [a, b, c] = [sale(), sale(), sale()];
  for (const body of [a, b, c]) await checkout(body, { card: false, send: server.send });
  await flushQueue(server.send);

  server.down = false;
  // A is taken and answered; the network goes before B arrives.
  const send = (body: OrderBody, key: string) => {
    if (body.id === b.id) server.down = true;
    return server.send(body, key);
  };
  await flushQueue(send);
  expect(server.ids()).toEqual([a.id]);
  expect(await queued()).toEqual([
    { id: b.id, error: undefined },
    { id: c.id, error: undefined },
  ]);
  expect(syncState()).toEqual({ online: false, queued: 2, failed: 0 });

  server.down = false;
  await flushQueue(server.send);
  expect(server.ids()).toEqual([a.id, b.id, c.id]);
  expect(await queued()).toEqual([]);
});

test('a refused sale stays with its error, is not sent again, and the run goes on', async () => {
  server.down = true;
  setOnline(false);
  const [a, b] = [sale(), sale()];
  for (const body of [a, b]) await checkout(body, { card: false, send: server.send });
  await flushQueue(server.send);

  server.down = false;
  server.script.push('refused');
  await flushQueue(server.send);
  expect(server.ids()).toEqual([a.id, b.id]);
  expect(await queued()).toEqual([{ id: a.id, error: 'variant_archived' }]);
  expect(syncState()).toEqual({ online: true, queued: 0, failed: 1 });

  // A refused sale waits for review: a later run does not send it, and new sales are not held behind it.
  await flushQueue(server.send);
  const c = sale();
  expect(await checkout(c, { card: false, send: server.send })).toMatchObject({ kind: 'sent' });
  expect(server.ids()).toEqual([a.id, b.id, c.id]);
});

test('a sale whose key the server still holds (409 idempotency_key_in_use) waits, first in line, and is sent later', async () => {
  server.down = true;
  setOnline(false);
  const [a, b] = [sale(), sale()];
  for (const body of [a, b]) await checkout(body, { card: false, send: server.send });
  await flushQueue(server.send);

  // A server died holding the key of a's first send: until the key's lease runs out, the key is in use.
  server.down = false;
  server.script.push('key-in-use');
  await flushQueue(server.send);
  expect(server.ids()).toEqual([a.id]);
  expect(await queued()).toEqual([
    { id: a.id, error: undefined },
    { id: b.id, error: undefined },
  ]);
  expect(syncState()).toMatchObject({ queued: 2, failed: 0 });

  await flushQueue(server.send);
  expect(server.ids()).toEqual([a.id, a.id, b.id]);
  expect(await queued()).toEqual([]);

  // Sent at once and answered 409 (an earlier send of the same sale still runs): a cash sale is queued, not lost.
  const c = sale();
  server.script.push('key-in-use');
  expect(await checkout(c, { card: false, send: server.send })).toEqual({ kind: 'queued' });
  await flushQueue(server.send);
  expect(server.orders.has(c.id ?? '')).toBe(true);
});

test('two runs at once are one run: each sale is sent once', async () => {
  server.down = true;
  setOnline(false);
  const bodies = [sale(), sale(), sale()];
  for (const body of bodies) await checkout(body, { card: false, send: server.send });
  await flushQueue(server.send);

  server.down = false;
  await Promise.all([flushQueue(server.send), flushQueue(server.send), flushQueue(server.send)]);
  expect(server.ids()).toEqual(bodies.map((b) => b.id));
});

test('a card sale is never queued: offline it fails and stays on the payment screen', async () => {
  server.down = true;
  setOnline(false);
  let sending = false;
  const result = await checkout(sale('card'), { card: true, send: server.send, onSend: () => (sending = true) });
  expect(sending).toBe(true);
  expect(result).toMatchObject({ kind: 'failed', newSaleId: false });
  expect(result.kind === 'failed' && result.error instanceof ApiError && result.error.isNetwork).toBe(true);
  expect(await queued()).toEqual([]);
  expect(syncState().online).toBe(false);
});

test('a card whose answer is lost is not queued either', async () => {
  server.script.push('answer-lost');
  const result = await checkout(sale('card'), { card: true, send: server.send });
  expect(result).toMatchObject({ kind: 'failed', newSaleId: false });
  expect(await queued()).toEqual([]);
});

test('a declined card asks for a new sale id (the server keeps the attempt as an open order)', async () => {
  server.script.push('declined');
  const result = await checkout(sale('card'), { card: true, send: server.send });
  expect(result).toMatchObject({ kind: 'failed', newSaleId: true, error: { code: 'payment_declined' } });
  expect(syncState().online).toBe(true);
});

test('cash short of the server’s total is a failure with insufficient_tender, not a receipt', async () => {
  server.script.push('short');
  const result = await checkout(sale('cash', 1), { card: false, send: server.send });
  expect(result).toMatchObject({ kind: 'failed', newSaleId: false, error: { code: 'insufficient_tender' } });
  expect(await queued()).toEqual([]);
});

test('a sale without a client id gets one before it is queued, and its replay uses it', async () => {
  server.down = true;
  setOnline(false);
  const { id: _ignored, ...body } = sale();
  await checkout(body, { card: false, send: server.send });
  await flushQueue(server.send);
  const [kept] = await queued();
  expect(kept?.id).toMatch(/^[0-9a-f-]{36}$/);

  server.down = false;
  await flushQueue(server.send);
  expect(server.received).toEqual([{ id: kept?.id, key: kept?.id }]);
});

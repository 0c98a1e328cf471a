// The till's IndexedDB in memory; WebCrypto's Ed25519 is Node's own (the browser's API, same calls).
import 'fake-indexeddb/auto';
import { ApiError } from '@novapos/api-client';
import { offlineSigningPayload } from '@novapos/domain';
import { beforeEach, expect, test } from 'vitest';
import type { Order, OrderBody } from '../api/types.ts';
import { tillDb } from '../data/db.ts';
import { saveDeviceKey } from '../data/device-key.ts';
import { TILL_CONTEXT } from '../test-fixtures.ts';
import { checkout, flushQueue, refreshQueueCounts } from './checkout.ts';
import { setOnline } from './connection.ts';
import { base64url } from './offline-signing.ts';

const DEVICE = '00000000-0000-7000-8000-00000000dddd';
let publicKey: CryptoKey;
let n = 0;

function sale(): OrderBody & { id: string } {
  n += 1;
  return {
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    register_id: TILL_CONTEXT.register_id,
    items: [{ variant_id: '00000000-0000-7000-8000-000000000001', quantity: 2 }],
    tenders: [{ method: 'cash', amount_cents: 500 }],
    price_lock: {
      lines: [{ variant_id: '00000000-0000-7000-8000-000000000001', unit_price_cents: 250 }],
      tax_rate_bps: 0,
      total_cents: 500,
    },
  };
}

async function queue() {
  return (await tillDb()).getAll('queue');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Whether the queued body's signature verifies with the device's public key, as the server checks it. */
async function verifies(body: OrderBody): Promise<boolean> {
  const signature = body.offline?.signature ?? '';
  return crypto.subtle.verify(
    { name: 'Ed25519' },
    publicKey,
    fromBase64url(signature),
    new TextEncoder().encode(offlineSigningPayload(body)),
  );
}

const down = (): Promise<Order> => Promise.reject(new ApiError({ code: 'network_error', status: 0 }));

beforeEach(async () => {
  const db = await tillDb();
  await db.clear('queue');
  await db.clear('meta');
  const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  publicKey = pair.publicKey;
  await saveDeviceKey({
    device_id: DEVICE,
    private_key: pair.privateKey,
    public_key: base64url(await crypto.subtle.exportKey('raw', pair.publicKey)),
  });
  setOnline(false);
  await refreshQueueCounts();
});

test('offline sales are numbered 1, 2, 3 by the device with no gap, even at once, and each is signed', async () => {
  await checkout(sale(), { card: false, send: down });
  await Promise.all([checkout(sale(), { card: false, send: down }), checkout(sale(), { card: false, send: down })]);
  const all = await queue();
  expect(all.map((s) => s.body.offline?.seq).sort()).toEqual([1, 2, 3]);
  for (const s of all) {
    expect(s.body.offline).toMatchObject({ device_id: DEVICE, created_at: s.queued_at });
    expect(s.body.offline?.signature).toMatch(/^[\w-]{86}$/);
    expect(await verifies(s.body)).toBe(true);
  }
  expect(await (await tillDb()).get('meta', 'offline.seq')).toBe(3);
});

test('a changed quantity or total no longer verifies; the client id is not signed', async () => {
  await checkout(sale(), { card: false, send: down });
  const [queued] = await queue();
  if (queued === undefined) throw new Error('not queued');
  expect(await verifies({ ...queued.body, id: '00000000-0000-7000-8000-0000000000ff' })).toBe(true);
  expect(await verifies({ ...queued.body, items: [{ ...queued.body.items[0], quantity: 3 }] })).toBe(false);
  const lock = queued.body.price_lock;
  if (lock === undefined) throw new Error('no price lock');
  expect(await verifies({ ...queued.body, price_lock: { ...lock, total_cents: 400 } })).toBe(false);
});

test('a sale whose send lost its answer is queued as it was sent (unsigned), and takes no number', async () => {
  setOnline(true);
  await checkout(sale(), { card: false, send: down });
  const [queued] = await queue();
  expect(queued?.body.offline).toBeUndefined();
  expect(await (await tillDb()).get('meta', 'offline.seq')).toBe(0);
});

test('a till without a device key queues its sales unsigned: never lost', async () => {
  await (await tillDb()).delete('meta', 'device.key');
  await checkout(sale(), { card: false, send: down });
  expect((await queue()).map((s) => s.body.offline)).toEqual([undefined]);
});

test('the flush keeps a replay conflict with its diff, resolves a cancelled sale, and waits on a key in use', async () => {
  const [a, b, c] = [sale(), sale(), sale()];
  for (const s of [a, b, c]) await checkout(s, { card: false, send: down });
  const diff = { version: 1, changes: [{ kind: 'total_changed', till_total_cents: 500, current_total_cents: 600 }] };
  const answers = new Map<string, ApiError>([
    [a.id, new ApiError({ code: 'replay_conflict', status: 409, body: { diff } })],
    [b.id, new ApiError({ code: 'offline_sale_cancelled', status: 409 })],
    [c.id, new ApiError({ code: 'idempotency_key_in_use', status: 409 })],
  ]);
  const send = (body: OrderBody): Promise<Order> => Promise.reject(answers.get(body.id ?? '') ?? new Error('?'));
  await flushQueue(down); // the run each checkout started (offline) ends first
  await flushQueue(send);
  const left = await queue();
  expect(left.map((s) => [s.id, s.error?.code])).toEqual([
    [a.id, 'replay_conflict'],
    [c.id, undefined],
  ]);
  expect(left[0]?.error?.diff).toEqual(diff);
});

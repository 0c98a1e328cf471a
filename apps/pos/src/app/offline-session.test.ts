// An offline session resumed online, through the till's real API client and IndexedDB (in memory); the server is a
// stand-in `fetch` that records what reaches it. The client keeps the fetch it is created with, so the stand-in and
// the page's globals (origin, sessionStorage) are in place before any module loads.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';

const server = vi.hoisted(() => {
  const store = new Map<string, string>();
  Object.assign(globalThis, {
    location: { origin: 'http://till.test' },
    sessionStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
      removeItem: (k: string) => store.delete(k),
    },
  });
  const state = {
    down: false,
    /** The answer to the next PIN sign-in: a user id (signed in) or a refusal. */
    pinLogin: { sub: '' } as { sub: string } | { status: number; code: string },
    /** Method and path of every request that reached the server, in order. */
    received: [] as string[],
    bodies: [] as unknown[],
  };
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  const token = (sub: string) => `h.${btoa(JSON.stringify({ sub })).replace(/=+$/, '')}.s`;
  globalThis.fetch = async (input: RequestInfo | URL) => {
    const request = input as Request;
    if (state.down) throw new TypeError('Failed to fetch');
    const path = new URL(request.url).pathname;
    state.received.push(`${request.method} ${path}`);
    state.bodies.push(request.method === 'GET' ? undefined : await request.clone().json());
    if (path === '/v1/auth/pin-login') {
      const answer = state.pinLogin;
      if ('code' in answer) return json(answer.status, { code: answer.code, status: answer.status });
      return json(200, { access_token: token(answer.sub), refresh_token: 'rt', token_type: 'Bearer', expires_in: 900 });
    }
    if (path === '/v1/pos/offline-signins') return json(201, {});
    if (path === '/v1/orders') return json(201, { id: 'o', status: 'completed' });
    return json(404, { code: 'route_not_found', status: 404 });
  };
  return state;
});

import { isNetworkError } from '../api/api.ts';
import { signOut } from '../api/auth.ts';
import { createOrder } from '../api/orders.ts';
import { currentSession, onSignedOut } from '../api/session.ts';
import type { OfflinePinUser, OrderBody } from '../api/types.ts';
import { tillDb, type DeviceConfig } from '../data/db.ts';
import { unreportedOfflineSignIns } from '../data/offline-signin.ts';
import { TILL_CONTEXT } from '../test-fixtures.ts';
import { startOfflineSession, takeOfflineSessionNote } from './offline-session.ts';

const DEVICE: DeviceConfig = {
  register_id: TILL_CONTEXT.register_id,
  register_name: TILL_CONTEXT.register_name,
  location_id: TILL_CONTEXT.location_id,
  location_name: TILL_CONTEXT.location_name,
  tenant_id: '00000000-0000-7000-8000-0000000000cc',
};
const CASS: OfflinePinUser = {
  user_id: '00000000-0000-7000-8000-00000000c455',
  display_name: 'Cass Cashier',
  roles: ['cashier'],
  salt: '',
  iterations: 1000,
  hash: '',
  verified_at: '2026-12-05T10:00:00Z',
};
const SALE = { register_id: DEVICE.register_id, items: [], tenders: [] } as unknown as OrderBody;

beforeEach(async () => {
  signOut();
  server.down = true;
  server.pinLogin = { sub: CASS.user_id };
  server.received.length = 0;
  server.bodies.length = 0;
  await (await tillDb()).clear('meta');
});
afterEach(() => signOut());

test('the first call once the server answers signs in online, reports the offline sign-in, then goes out', async () => {
  await startOfflineSession(DEVICE, CASS, 3, '1234', Date.parse('2026-12-05T12:00:00Z'));
  expect(currentSession()).toBeUndefined();
  // Still offline: the call fails as the network does, the sign-in waits on the device.
  const offline = await createOrder(SALE, 'k1').catch((e: unknown) => e);
  expect(isNetworkError(offline)).toBe(true);
  expect(await unreportedOfflineSignIns()).toHaveLength(1);

  server.down = false;
  await createOrder(SALE, 'k1');
  expect(server.received).toEqual(['POST /v1/auth/pin-login', 'POST /v1/pos/offline-signins', 'POST /v1/orders']);
  expect(server.bodies[0]).toEqual({ register_id: DEVICE.register_id, pin: '1234' });
  expect(server.bodies[1]).toMatchObject({
    register_id: DEVICE.register_id,
    user_id: CASS.user_id,
    signed_in_at: '2026-12-05T12:00:00.000Z',
    failed_attempts: 3,
  });
  expect(currentSession()).toBeDefined();
  expect(await unreportedOfflineSignIns()).toEqual([]);
  // The PIN is not used again: later calls go straight out with the session.
  await createOrder(SALE, 'k2');
  expect(server.received.filter((r) => r.endsWith('pin-login'))).toHaveLength(1);
});

test('calls made at once share one online sign-in', async () => {
  await startOfflineSession(DEVICE, CASS, 0, '1234');
  server.down = false;
  await Promise.all([createOrder(SALE, 'a'), createOrder(SALE, 'b'), createOrder(SALE, 'c')]);
  expect(server.received.filter((r) => r.endsWith('pin-login'))).toHaveLength(1);
  expect(server.received.filter((r) => r.endsWith('/orders'))).toHaveLength(3);
});

test('a PIN the server now refuses sends the cashier back to the PIN screen; nothing else goes out', async () => {
  await startOfflineSession(DEVICE, CASS, 0, '1234');
  let signedOut = 0;
  const stop = onSignedOut(() => (signedOut += 1));
  server.down = false;
  server.pinLogin = { status: 401, code: 'invalid_pin' };
  const err = await createOrder(SALE, 'k').catch((e: unknown) => e);
  stop();
  // Failed as the network fails, so a queued sale stays queued instead of being marked refused by the server.
  expect(isNetworkError(err)).toBe(true);
  expect(server.received).toEqual(['POST /v1/auth/pin-login']);
  expect(signedOut).toBe(1);
  expect(takeOfflineSessionNote()).toContain('did not accept your PIN');
  // The sign-in still waits to be reported by the next cashier who signs in online.
  expect(await unreportedOfflineSignIns()).toHaveLength(1);
  // And the PIN is forgotten: no further attempt with it.
  await createOrder(SALE, 'k').catch(() => undefined);
  expect(server.received.filter((r) => r.endsWith('pin-login'))).toHaveLength(1);
});

test('a PIN that now signs in someone else is not accepted', async () => {
  await startOfflineSession(DEVICE, CASS, 0, '1234');
  server.down = false;
  server.pinLogin = { sub: '00000000-0000-7000-8000-0000000000ee' };
  const err = await createOrder(SALE, 'k').catch((e: unknown) => e);
  expect(isNetworkError(err)).toBe(true);
  expect(currentSession()).toBeUndefined();
  expect(takeOfflineSessionNote()).toContain('someone else');
  expect(server.received).toEqual(['POST /v1/auth/pin-login']);
});

test('signing out forgets the PIN', async () => {
  await startOfflineSession(DEVICE, CASS, 0, '1234');
  signOut();
  server.down = false;
  await createOrder(SALE, 'k').catch(() => undefined);
  expect(server.received).toEqual(['POST /v1/orders']);
});

test('signing out while the server is answering leaves no session behind', async () => {
  await startOfflineSession(DEVICE, CASS, 0, '1234');
  server.down = false;
  const pending = createOrder(SALE, 'k').catch((e: unknown) => e);
  signOut();
  expect(isNetworkError(await pending)).toBe(true);
  expect(currentSession()).toBeUndefined();
  expect(server.received).toEqual(['POST /v1/auth/pin-login']);
});

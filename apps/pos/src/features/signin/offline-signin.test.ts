// The till's IndexedDB, in memory; the verifiers are made as the server makes them (node:crypto's PBKDF2), and the
// till checks them with WebCrypto, as in the browser.
import 'fake-indexeddb/auto';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, test } from 'vitest';
import type { OfflinePinUser, OfflinePins } from '../../api/types.ts';
import { tillDb } from '../../data/db.ts';
import { offlineAttempts, storeOfflinePins, storedOfflinePins } from '../../data/offline-signin.ts';
import { TILL_CONTEXT } from '../../test-fixtures.ts';
import { attemptWaitMs, findOfflineUser, FREE_ATTEMPTS, pinHash } from './offline-pin.ts';
import { signInOffline } from './offline-signin.ts';

const REGISTER = TILL_CONTEXT.register_id;
const HOUR = 3_600_000;
/** Few iterations keep the tests fast; the till takes the count from each verifier, as the server sends it. */
const ITERATIONS = 1000;
const NOW = Date.parse('2026-12-05T12:00:00Z');

let n = 0;
/** A user as GET /v1/pos/offline-pins lists them, with a verifier of `pin` made the server's way. */
function user(pin: string, verifiedHoursAgo = 1, name = `User ${++n}`): OfflinePinUser {
  const salt = randomBytes(16);
  return {
    user_id: `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
    display_name: name,
    roles: ['cashier'],
    salt: salt.toString('base64'),
    iterations: ITERATIONS,
    hash: pbkdf2Sync(Buffer.from(pin, 'utf8'), salt, ITERATIONS, 32, 'sha256').toString('base64'),
    verified_at: new Date(NOW - verifiedHoursAgo * HOUR).toISOString(),
  };
}

function list(users: OfflinePinUser[], patch: Partial<OfflinePins> = {}): OfflinePins {
  return {
    register_id: REGISTER,
    location_id: TILL_CONTEXT.location_id,
    algorithm: 'PBKDF2-HMAC-SHA-256',
    grace_hours: 12,
    server_time: new Date(NOW).toISOString(),
    users,
    ...patch,
  };
}

beforeEach(async () => {
  await (await tillDb()).clear('meta');
});

describe('checking a PIN on the till', () => {
  test("WebCrypto's PBKDF2 gives the server's verifier", async () => {
    const u = user('482913');
    expect(Buffer.from(await pinHash('482913', u.salt, u.iterations)).toString('base64')).toBe(u.hash);
    expect(Buffer.from(await pinHash('482914', u.salt, u.iterations)).toString('base64')).not.toBe(u.hash);
  });

  test('finds the one user whose PIN it is among several, checked a few at a time', async () => {
    const users = ['1111', '2222', '3333', '4444', '5555', '6666'].map((pin) => user(pin));
    expect((await findOfflineUser('5555', users, 2))?.user_id).toBe(users[4]?.user_id);
    expect((await findOfflineUser('1111', users, 3))?.user_id).toBe(users[0]?.user_id);
    expect(await findOfflineUser('7777', users, 2)).toBeUndefined();
    expect(await findOfflineUser('1111', [], 2)).toBeUndefined();
  });
});

describe('signing in offline', () => {
  test('the right PIN within the window signs its user in; the PIN itself is stored nowhere', async () => {
    const cass = user('1234', 2, 'Cass Cashier');
    await storeOfflinePins(list([user('9876'), cass]), NOW);
    const result = await signInOffline(REGISTER, '1234', NOW);
    expect(result).toMatchObject({ kind: 'signed_in', user: { display_name: 'Cass Cashier' }, failedAttempts: 0 });
    const everything = JSON.stringify(await (await tillDb()).getAll('meta'));
    expect(everything).not.toContain('"1234"');
  });

  test('a wrong PIN is refused and counted; after the free attempts each try waits, growing', async () => {
    await storeOfflinePins(list([user('1234')]), NOW);
    let at = NOW;
    for (let i = 1; i <= FREE_ATTEMPTS; i++) {
      const wrong = await signInOffline(REGISTER, '0000', at);
      expect(wrong).toMatchObject({ kind: 'refused', reason: 'wrong_pin' });
      expect((await offlineAttempts()).failures).toBe(i);
    }
    // The fifth wrong PIN says how long to wait; trying sooner is refused without checking the PIN at all.
    expect(attemptWaitMs(FREE_ATTEMPTS)).toBe(30_000);
    const early = await signInOffline(REGISTER, '1234', at + 29_000);
    expect(early).toMatchObject({ kind: 'refused', reason: 'wait' });
    expect(early.kind === 'refused' && early.message).toContain('Try again in 1 seconds');
    at += 30_000;
    expect(await signInOffline(REGISTER, '0000', at)).toMatchObject({ kind: 'refused', reason: 'wrong_pin' });
    expect(attemptWaitMs(FREE_ATTEMPTS + 1)).toBe(60_000);
    expect(await signInOffline(REGISTER, '1234', at + 59_000)).toMatchObject({ reason: 'wait' });
    // The right PIN after the wait: signed in, the wrong ones reported with it, the count reset.
    const right = await signInOffline(REGISTER, '1234', at + 60_000);
    expect(right).toMatchObject({ kind: 'signed_in', failedAttempts: FREE_ATTEMPTS + 1 });
    expect((await offlineAttempts()).failures).toBe(0);
    expect(attemptWaitMs(100)).toBe(5 * 60_000);
  });

  test('the window has passed: refused with when the PIN was last checked online', async () => {
    await storeOfflinePins(list([user('1234', 11)]), NOW);
    expect(await signInOffline(REGISTER, '1234', NOW + 59 * 60_000)).toMatchObject({ kind: 'signed_in' });
    const late = await signInOffline(REGISTER, '1234', NOW + HOUR + 1000);
    expect(late).toMatchObject({ kind: 'refused', reason: 'expired' });
    expect(late.kind === 'refused' && late.message).toContain('Offline sign-in works for 12 h');
    // Not a wrong PIN: nothing counted.
    expect((await offlineAttempts()).failures).toBe(0);
  });

  test("the window is judged on the server's clock: a till 3 h fast gives no extra time and takes none", async () => {
    const skewed = NOW + 3 * HOUR;
    await storeOfflinePins(list([user('1234', 11)]), skewed);
    expect(await signInOffline(REGISTER, '1234', skewed + 59 * 60_000)).toMatchObject({ kind: 'signed_in' });
    expect(await signInOffline(REGISTER, '1234', skewed + HOUR + 1000)).toMatchObject({ reason: 'expired' });
  });

  test('a clock set back before the last sync is not trusted', async () => {
    await storeOfflinePins(list([user('1234', 1)]), NOW);
    expect(await signInOffline(REGISTER, '1234', NOW - 2 * HOUR)).toMatchObject({ kind: 'refused', reason: 'clock' });
  });

  test('a user the next sync no longer lists (deactivated) cannot sign in any more', async () => {
    const gone = user('1234');
    await storeOfflinePins(list([gone, user('5678')]), NOW);
    expect(await signInOffline(REGISTER, '1234', NOW)).toMatchObject({ kind: 'signed_in' });
    await storeOfflinePins(list([user('5678')]), NOW + 1000);
    expect(await signInOffline(REGISTER, '1234', NOW + 2000)).toMatchObject({ kind: 'refused', reason: 'wrong_pin' });
  });

  test('nothing synced, a list of another register, or offline sign-in switched off: refused, saying why', async () => {
    const none = await signInOffline(REGISTER, '1234', NOW);
    expect(none).toMatchObject({ kind: 'refused', reason: 'unavailable' });
    expect(none.kind === 'refused' && none.message).toContain('someone must sign in once');

    await storeOfflinePins(list([user('1234')], { register_id: '00000000-0000-7000-8000-0000000000ff' }), NOW);
    expect(await storedOfflinePins(REGISTER)).toBeUndefined();
    expect(await signInOffline(REGISTER, '1234', NOW)).toMatchObject({ reason: 'unavailable' });

    await storeOfflinePins(list([], { grace_hours: 0 }), NOW);
    const off = await signInOffline(REGISTER, '1234', NOW);
    expect(off).toMatchObject({ kind: 'refused', reason: 'off' });
    expect(off.kind === 'refused' && off.message).toContain('switched off');
  });
});

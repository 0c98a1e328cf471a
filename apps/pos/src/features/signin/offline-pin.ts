import type { OfflinePinUser } from '../../api/types.ts';
import type { StoredOfflinePins } from '../../data/offline-signin.ts';

/*
 * The rules of offline sign-in, without storage or screens (docs/pos.md "Offline sign-in", docs/security.md): how a
 * PIN is checked against the server's verifiers, how long a verified PIN stays good offline, and how long a till
 * makes a person wait after wrong PINs.
 */

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const raw = atob(base64);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** PBKDF2-HMAC-SHA-256(PIN as UTF-8, salt, iterations), 32 bytes: the server's verifier, made with WebCrypto. */
export async function pinHash(pin: string, saltBase64: string, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: bytesOf(saltBase64), iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** How many verifiers are checked at once: each is a slow hash; WebCrypto runs them off the main thread. */
function defaultConcurrency(): number {
  const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
  return Math.min(4, Math.max(2, cores));
}

/**
 * The user whose verifier this PIN matches, or undefined. PINs are unique in a tenant, so at most one matches.
 * Each check is a slow hash (about 0.1–0.3 s), so they run a few at a time, in the list's order (most recently
 * verified first: whoever signs in is most likely one of them), and no new check starts once one has matched.
 * A wrong PIN costs every check: about (staff listed ÷ cores) × one hash.
 */
export async function findOfflineUser(
  pin: string,
  users: readonly OfflinePinUser[],
  concurrency = defaultConcurrency(),
): Promise<OfflinePinUser | undefined> {
  let next = 0;
  let found: OfflinePinUser | undefined;
  const worker = async () => {
    while (found === undefined && next < users.length) {
      const user = users[next++];
      if (user === undefined) break;
      const hash = await pinHash(pin, user.salt, user.iterations);
      if (sameBytes(hash, bytesOf(user.hash))) found = user;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, users.length) }, worker));
  return found;
}

/** How far the till's clock may have gone back since the last sync before the till stops trusting it. */
const CLOCK_SLACK_MS = 5 * 60 * 1000;

/** Whether a matched user may sign in offline now, by the tenant's grace window. */
export type GraceVerdict =
  | { readonly ok: true; readonly until: number }
  /** The window has passed: `until` is when it closed (till clock, ms). */
  | { readonly ok: false; readonly reason: 'expired'; readonly until: number }
  /** The till's clock is earlier than the last sync: it was set back, so no window can be judged. */
  | { readonly ok: false; readonly reason: 'clock' };

/**
 * The grace window: a PIN is accepted offline for `grace_hours` after the server last verified it online
 * (`verified_at`, moved onto the till's clock by the offset measured at the sync). 0 hours: never.
 */
export function graceVerdict(user: OfflinePinUser, stored: StoredOfflinePins, tillNow: number): GraceVerdict {
  if (tillNow < stored.fetched_at - CLOCK_SLACK_MS) return { ok: false, reason: 'clock' };
  const until = Date.parse(user.verified_at) + stored.clock_offset_ms + stored.grace_hours * 3_600_000;
  return tillNow <= until && stored.grace_hours > 0 ? { ok: true, until } : { ok: false, reason: 'expired', until };
}

/** Wrong PINs in a row that cost no wait; from the next one on, each attempt waits. */
export const FREE_ATTEMPTS = 5;
const FIRST_WAIT_MS = 30_000;
const LONGEST_WAIT_MS = 5 * 60_000;

/**
 * How long after the last wrong PIN the next attempt must wait: nothing for the first FREE_ATTEMPTS, then 30 s,
 * doubling with each further wrong PIN up to 5 minutes. At that pace a 4-digit PIN takes weeks to guess at the
 * till, far beyond any grace window.
 */
export function attemptWaitMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - FREE_ATTEMPTS));
}

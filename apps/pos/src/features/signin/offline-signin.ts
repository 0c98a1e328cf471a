import type { OfflinePinUser } from '../../api/types.ts';
import {
  clearOfflineFailures,
  offlineAttempts,
  recordOfflineFailure,
  storedOfflinePins,
} from '../../data/offline-signin.ts';
import { attemptWaitMs, findOfflineUser, graceVerdict } from './offline-pin.ts';

/** How an offline sign-in attempt ended. */
export type OfflineSignInResult =
  /** The PIN matched a verifier inside the grace window; `failedAttempts` wrong PINs came before it. */
  | { readonly kind: 'signed_in'; readonly user: OfflinePinUser; readonly failedAttempts: number }
  | { readonly kind: 'refused'; readonly reason: RefusalReason; readonly message: string };

export type RefusalReason = 'unavailable' | 'off' | 'wait' | 'wrong_pin' | 'expired' | 'clock';

function timeOf(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

function refused(reason: RefusalReason, message: string): OfflineSignInResult {
  return { kind: 'refused', reason, message };
}

/**
 * Signs a cashier in on this till alone, the server being unreachable: the PIN is checked against the verifiers the
 * server gave at the last sync (never against a stored PIN), within the tenant's grace window, with a growing wait
 * after wrong PINs (counted on the device, so a reload does not reset it). Nothing here talks to the server.
 */
export async function signInOffline(
  registerId: string,
  pin: string,
  tillNow = Date.now(),
): Promise<OfflineSignInResult> {
  const stored = await storedOfflinePins(registerId);
  if (stored?.grace_hours === 0) {
    return refused('off', 'The server cannot be reached, and offline sign-in is switched off for this shop.');
  }
  if (stored === undefined || stored.users.length === 0) {
    return refused(
      'unavailable',
      'The server cannot be reached, and this till has no PINs it can check offline yet: someone must sign in once ' +
        'while the server answers.',
    );
  }
  const attempts = await offlineAttempts();
  const waitUntil = attempts.last_failure_at + attemptWaitMs(attempts.failures);
  if (tillNow < waitUntil) {
    const seconds = Math.ceil((waitUntil - tillNow) / 1000);
    return refused('wait', `Too many wrong PINs. Try again in ${seconds} seconds.`);
  }
  const user = await findOfflineUser(pin, stored.users);
  if (user === undefined) {
    const after = await recordOfflineFailure(tillNow);
    const wait = attemptWaitMs(after.failures);
    return refused(
      'wrong_pin',
      'That PIN is not right (checked on this till: the server cannot be reached).' +
        (wait > 0 ? ` Wait ${Math.ceil(wait / 1000)} seconds before the next try.` : ''),
    );
  }
  const verdict = graceVerdict(user, stored, tillNow);
  if (!verdict.ok && verdict.reason === 'clock') {
    return refused('clock', "This till's clock is earlier than its last contact with the server: ask a manager.");
  }
  if (!verdict.ok) {
    return refused(
      'expired',
      `Offline sign-in works for ${stored.grace_hours} h after a PIN was last checked online; yours was last ` +
        `checked at ${timeOf(verdict.until - stored.grace_hours * 3_600_000)}. Sign in when the server answers again.`,
    );
  }
  await clearOfflineFailures();
  return { kind: 'signed_in', user, failedAttempts: attempts.failures };
}

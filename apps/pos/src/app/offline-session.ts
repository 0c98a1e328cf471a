import { ApiError, isNetworkError, resumesWith, resumeSessionWith } from '../api/api.ts';
import { pinSignIn, tokenSubject } from '../api/auth.ts';
import { currentSession, sessionEnded, setSession } from '../api/session.ts';
import type { OfflinePinUser } from '../api/types.ts';
import type { DeviceConfig } from '../data/db.ts';
import { addOfflineSignIn } from '../data/offline-signin.ts';
import { reportOfflineSignIns } from './offline-signin-sync.ts';
import { rememberCashier } from './till-session.ts';

/*
 * A cashier signed in offline (features/signin/offline-signin.ts checked the PIN) works without a session. The PIN is
 * kept in memory only, in the closure handed to the API client, so that the first call made once the server answers
 * signs them in online (POST /v1/auth/pin-login) before anything else goes out, queued sales included; then the
 * offline sign-in is reported and the PIN forgotten. Signing out or reloading forgets it too.
 */

/** Why the last offline session ended without an online sign-in, for the PIN screen (read once). */
let endedNote: string | undefined;

export function takeOfflineSessionNote(): string | undefined {
  const note = endedNote;
  endedNote = undefined;
  return note;
}

/**
 * The server refused the PIN that worked offline (changed, deactivated, locked meanwhile) or gave another user: the
 * cashier is sent back to the PIN screen. The caller's call fails as a network failure would, so a queued sale it
 * was sending stays queued (nothing was sent) instead of being marked refused by the server.
 */
function giveUp(note: string): never {
  resumeSessionWith(undefined);
  endedNote = note;
  sessionEnded();
  throw new ApiError({ code: 'network_error', status: 0, detail: note });
}

async function signInOnline(
  registerId: string,
  userId: string,
  pin: string,
  stillWanted: () => boolean,
): Promise<void> {
  try {
    await pinSignIn(registerId, pin);
  } catch (err) {
    if (isNetworkError(err)) throw err;
    // A busy or failing server may take the PIN a moment later: stay offline and try again at the next call.
    if (err instanceof ApiError && (err.status === 429 || err.status >= 500)) {
      throw new ApiError({ code: 'network_error', status: 0, detail: err.message, cause: err });
    }
    const why = err instanceof ApiError ? ` (${err.message})` : '';
    giveUp(`The server did not accept your PIN when it answered again${why}. Sign in again.`);
  }
  if (!stillWanted()) {
    // Signed out while the server was answering: the session must not outlive the cashier's sign-out.
    setSession(undefined);
    throw new ApiError({ code: 'network_error', status: 0, detail: 'Signed out' });
  }
  if (tokenSubject(currentSession()?.access_token ?? '') !== userId) {
    setSession(undefined);
    giveUp('The server signed that PIN in as someone else. Sign in again.');
  }
  // Signed in online: the PIN is no longer needed; the closure holding it is dropped here.
  resumeSessionWith(undefined);
  await reportOfflineSignIns().catch(() => undefined);
}

/**
 * Starts working signed in offline as `user`: the sign-in is kept on the device to be reported, the cashier's name
 * shows in the status bar, and the next call that finds the server signs them in online with `pin`.
 */
export async function startOfflineSession(
  device: DeviceConfig,
  user: OfflinePinUser,
  failedAttempts: number,
  pin: string,
  tillNow = Date.now(),
): Promise<void> {
  await addOfflineSignIn({
    id: crypto.randomUUID(),
    register_id: device.register_id,
    user_id: user.user_id,
    signed_in_at: new Date(tillNow).toISOString(),
    failed_attempts: failedAttempts,
  });
  rememberCashier({ display_name: user.display_name, roles: user.roles });
  let running: Promise<void> | undefined;
  const resume = () => {
    running ??= signInOnline(device.register_id, user.user_id, pin, () => resumesWith(resume)).finally(() => {
      running = undefined;
    });
    return running;
  };
  resumeSessionWith(resume);
}

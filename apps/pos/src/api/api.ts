import { ApiError, createApiClient, ok } from '@novapos/api-client';
import { currentSession, sessionEnded, setSession } from './session.ts';

/**
 * The till's one API client (same origin: the server serves the till). Only the files of `src/api/` call it; the
 * rest of the till calls their functions (`auth.ts`, `pos.ts`, `catalog.ts`, `orders.ts`).
 */
export const api = createApiClient({
  baseUrl: typeof location === 'undefined' ? '' : location.origin,
  getToken: () => currentSession()?.access_token,
});

let refreshing: Promise<boolean> | undefined;

/** Exchanges the refresh token for a new pair once, however many calls are waiting for it. */
function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const current = currentSession();
    if (current === undefined) return false;
    try {
      const pair = await ok(api.POST('/v1/auth/refresh', { body: { refresh_token: current.refresh_token } }));
      setSession({ access_token: pair.access_token, refresh_token: pair.refresh_token });
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.isNetwork) throw err;
      sessionEnded();
      return false;
    }
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

/** Set while a cashier works signed in offline (app/offline-session.ts): signs them in online, once. */
let signInOnline: (() => Promise<void>) | undefined;

/**
 * While a cashier signed in offline has no session, every call first signs them in online (the till's
 * `app/offline-session.ts` passes how; undefined when there is nothing to resume), so no call, a queued sale's
 * above all, ever goes out without a session. It throws a network error while the server is unreachable.
 */
export function resumeSessionWith(fn: (() => Promise<void>) | undefined): void {
  signInOnline = fn;
}

/** Whether `fn` is still the way to resume (a sign-out since replaced it with nothing). */
export function resumesWith(fn: () => Promise<void>): boolean {
  return signInOnline === fn;
}

/**
 * Runs an API call; an expired access token is renewed once with the refresh token and the call repeated (a
 * till stays signed in through a shift, and a sale queued offline is sent after the token has expired).
 */
export async function call<T>(fn: () => Promise<T>): Promise<T> {
  if (currentSession() === undefined && signInOnline !== undefined) await signInOnline();
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && currentSession() !== undefined && err.code !== 'invalid_pin') {
      if (await refreshSession()) return fn();
    }
    throw err;
  }
}

/** The server was not reached (offline, refused, or the answer was lost): the till may work on from its cache. */
export function isNetworkError(err: unknown): boolean {
  return err instanceof ApiError && err.isNetwork;
}

export { ApiError, ok };
export type * from './types.ts';

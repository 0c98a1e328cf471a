import { ApiError, createApiClient, ok, type Schema } from '@novapos/api-client';

/** The signed-in cashier's tokens; kept in sessionStorage so a reload keeps the shift, a closed tab ends it. */
interface Session {
  readonly access_token: string;
  readonly refresh_token: string;
}

const SESSION_KEY = 'novapos.till.session';
let session: Session | undefined = (() => {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw === null ? undefined : (JSON.parse(raw) as Session);
  } catch {
    return undefined;
  }
})();
const signedOutListeners = new Set<() => void>();

export function setSession(next: Session | undefined): void {
  session = next;
  if (next === undefined) sessionStorage.removeItem(SESSION_KEY);
  else sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
}

export function hasSession(): boolean {
  return session !== undefined;
}

/** Called when the session cannot be renewed: the till goes back to the PIN screen. */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/** The till's one API client (same origin: the server serves the till). */
export const api = createApiClient({
  baseUrl: location.origin,
  getToken: () => session?.access_token,
});

let refreshing: Promise<boolean> | undefined;

/** Exchanges the refresh token for a new pair once, however many calls are waiting for it. */
function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const current = session;
    if (current === undefined) return false;
    try {
      const pair = await ok(api.POST('/v1/auth/refresh', { body: { refresh_token: current.refresh_token } }));
      setSession({ access_token: pair.access_token, refresh_token: pair.refresh_token });
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.isNetwork) throw err;
      setSession(undefined);
      for (const l of signedOutListeners) l();
      return false;
    }
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

/**
 * Runs an API call; an expired access token is renewed once with the refresh token and the call repeated (a
 * till stays signed in through a shift, and a sale queued offline is sent after the token has expired).
 */
export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && session !== undefined && err.code !== 'invalid_pin') {
      if (await refreshSession()) return fn();
    }
    throw err;
  }
}

export { ApiError, ok };
export type TillContext = Schema<'TillContext'>;
export type CatalogChanges = Schema<'CatalogChanges'>;
export type TillItem = CatalogChanges['items'][number];
export type TillCategory = CatalogChanges['categories'][number];

import type { paths } from '@novapos/api-client';
/** An order as the server answers it (the response of POST /v1/orders). */
export type Order = paths['/v1/orders']['post']['responses'][201]['content']['application/json'];
/** The body of POST /v1/orders: what the till sends, and what its offline queue keeps. */
export type OrderBody = NonNullable<paths['/v1/orders']['post']['requestBody']>['content']['application/json'];

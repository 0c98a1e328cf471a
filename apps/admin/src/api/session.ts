import { ApiError, problemToError } from '@novapos/api-client';

/**
 * The back office's sign-in session: the token pair in localStorage (so a reload or a second tab stays signed in)
 * and the one rule refresh rotation imposes — a refresh token works once, so it is never presented twice. Every
 * refresh runs under a Web Lock shared by the tabs of this origin; inside the lock the stored pair is read again,
 * and when another tab has already rotated it, its new pair is used instead of refreshing a spent token (which
 * the server would treat as theft and answer by ending the whole session).
 */
export interface Tokens {
  readonly access_token: string;
  readonly refresh_token: string;
}

const STORAGE_KEY = 'novapos.admin.session';
const LOCK_NAME = 'novapos.admin.refresh';
/** Refresh this long before the access token expires, so a request never leaves with a token about to lapse. */
const EARLY_SECONDS = 30;

type EndListener = (reason: ApiError | undefined) => void;
const endListeners = new Set<EndListener>();

export function readTokens(): Tokens | undefined {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (raw === null) return undefined;
    const parsed = JSON.parse(raw) as Partial<Tokens>;
    return typeof parsed.access_token === 'string' && typeof parsed.refresh_token === 'string'
      ? { access_token: parsed.access_token, refresh_token: parsed.refresh_token }
      : undefined;
  } catch {
    return undefined;
  }
}

export function storeTokens(tokens: Tokens): void {
  localStorage.setItem(
    STORAGE_KEY,
    JSON.stringify({ access_token: tokens.access_token, refresh_token: tokens.refresh_token }),
  );
}

/** Forgets the session here and in every tab, and tells the app (which shows the sign-in page). */
export function endSession(reason?: ApiError): void {
  localStorage.removeItem(STORAGE_KEY);
  for (const listener of endListeners) listener(reason);
}

export function onSessionEnd(listener: EndListener): () => void {
  endListeners.add(listener);
  return () => endListeners.delete(listener);
}

// Another tab signed out (or in as someone else): follow it.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === STORAGE_KEY && event.newValue === null) for (const listener of endListeners) listener(undefined);
  });
}

/** The claims of an access token that the app reads (the server checks the signature; the app only plans). */
export interface AccessClaims {
  readonly exp: number;
  readonly roles: readonly string[];
}

export function claimsOf(accessToken: string): AccessClaims | undefined {
  try {
    const payload = accessToken.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as Partial<AccessClaims>;
    return typeof claims.exp === 'number'
      ? { exp: claims.exp, roles: Array.isArray(claims.roles) ? claims.roles : [] }
      : undefined;
  } catch {
    return undefined;
  }
}

function expiresSoon(tokens: Tokens): boolean {
  const exp = claimsOf(tokens.access_token)?.exp ?? 0;
  return exp - EARLY_SECONDS <= Date.now() / 1000;
}

async function rotate(spent: Tokens): Promise<Tokens | undefined> {
  const current = readTokens();
  if (current === undefined) return undefined;
  // Another tab (or request) rotated while we waited for the lock: its pair is the live one.
  if (current.refresh_token !== spent.refresh_token) return current;
  let response: Response;
  try {
    response = await fetch('/v1/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: current.refresh_token }),
    });
  } catch (err) {
    throw new ApiError({ code: 'network_error', status: 0, detail: String(err), cause: err });
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = problemToError(response, body);
    // The session is over (expired, revoked, or a reused token ended it): sign out. Anything else is transient.
    if (response.status === 401) endSession(error);
    throw error;
  }
  const next = body as Tokens;
  storeTokens(next);
  return next;
}

let inFlight: Promise<Tokens | undefined> | undefined;

/** Rotates the pair once, however many requests of however many tabs ask at the same moment. */
export function refreshTokens(spent: Tokens): Promise<Tokens | undefined> {
  if (inFlight !== undefined) return inFlight;
  const run = (): Promise<Tokens | undefined> => rotate(spent);
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  inFlight = (locks ? locks.request(LOCK_NAME, run) : run()).finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

/** The stored pair, rotated first when its access token is about to expire. */
export async function freshTokens(): Promise<Tokens | undefined> {
  const tokens = readTokens();
  if (tokens === undefined || !expiresSoon(tokens)) return tokens;
  return (await refreshTokens(tokens)) ?? tokens;
}

function withToken(request: Request, token: string): Request {
  const headers = new Headers(request.headers);
  headers.set('authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}

/**
 * The fetch the API client uses: signed-in calls leave with a fresh access token (refreshed a little before it
 * expires), and a call answered 401 `token_expired` (a laptop that slept) is refreshed and sent once more.
 */
export async function sessionFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  if (!request.headers.has('authorization')) return fetch(request);
  const tokens = await freshTokens();
  if (tokens === undefined) return fetch(request);
  const again = request.clone();
  const first = await fetch(withToken(request, tokens.access_token));
  if (first.status !== 401 || first.headers.get('x-error-code') !== 'token_expired') return first;
  const fresh = await refreshTokens(tokens);
  return fresh === undefined ? first : fetch(withToken(again, fresh.access_token));
}

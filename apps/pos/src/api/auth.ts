import { api, call, ok, resumeSessionWith } from './api.ts';
import { setSession } from './session.ts';
import type { Me } from './types.ts';

/** Signs a cashier in at a register with their PIN and keeps the session (sessionStorage). */
export async function pinSignIn(registerId: string, pin: string): Promise<void> {
  const pair = await ok(api.POST('/v1/auth/pin-login', { body: { register_id: registerId, pin } }));
  setSession({ access_token: pair.access_token, refresh_token: pair.refresh_token });
}

/** The user an access token was issued to (its `sub`); the server signed it, the till only reads it. */
export function tokenSubject(accessToken: string): string | undefined {
  try {
    const payload = accessToken.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** Ends the cashier's session on this till (an offline one too: its PIN is forgotten). */
export function signOut(): void {
  resumeSessionWith(undefined);
  setSession(undefined);
}

/** The signed-in cashier. */
export function whoAmI(): Promise<Me> {
  return call(() => ok(api.GET('/v1/me')));
}

/**
 * A manager's one-off sign-in at the till (device set-up, "Reset this till"): the token authorises a few calls and
 * is never kept; `end()` revokes it.
 */
export interface ManagerGrant {
  readonly me: Me;
  readonly headers: { readonly authorization: string };
  /** Revokes the token (best effort: nothing waits for it, a failure is ignored). */
  end(): void;
}

/** Signs a manager in with e-mail and password and says who they are; the caller checks the roles and ends it. */
export async function managerSignIn(email: string, password: string): Promise<ManagerGrant> {
  const pair = await ok(api.POST('/v1/auth/login', { body: { email, password } }));
  const headers = { authorization: `Bearer ${pair.access_token}` };
  const end = () => {
    void api.POST('/v1/auth/logout', { headers, body: { refresh_token: pair.refresh_token } }).catch(() => undefined);
  };
  try {
    return { me: await ok(api.GET('/v1/me', { headers })), headers, end };
  } catch (err) {
    end();
    throw err;
  }
}

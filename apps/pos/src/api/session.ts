/**
 * The signed-in cashier's tokens: kept in sessionStorage, so a reload keeps the shift and a closed tab ends it.
 * This file only keeps them; renewing them is the client's business (api.ts).
 */
export interface Session {
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

export function currentSession(): Session | undefined {
  return session;
}

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

/** Forgets the session because the server would not renew it, and tells the listeners. */
export function sessionEnded(): void {
  setSession(undefined);
  for (const l of signedOutListeners) l();
}

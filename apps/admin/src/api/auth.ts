import { api, ok } from './client.ts';
import { endSession, readTokens, storeTokens } from './session.ts';
import type { ResultOf } from './types.ts';

export type Me = ResultOf<'/v1/me'>;

/** Signs in with e-mail and password and keeps the token pair. */
export async function signIn(email: string, password: string): Promise<void> {
  const tokens = await ok(api.POST('/v1/auth/login', { body: { email, password } }));
  storeTokens(tokens);
}

export function whoAmI(): Promise<Me> {
  return ok(api.GET('/v1/me'));
}

/** Ends the session on the server (best effort: offline, it still ends here) and forgets the tokens. */
export async function signOut(): Promise<void> {
  const tokens = readTokens();
  if (tokens !== undefined) {
    await api.POST('/v1/auth/logout', { body: { refresh_token: tokens.refresh_token } }).catch(() => undefined);
  }
  endSession();
}

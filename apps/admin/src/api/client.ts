import { createApiClient, ok, type ApiError } from '@novapos/api-client';
import { endSession, readTokens, sessionFetch } from './session.ts';

/** The back office's one API client: typed by the server's OpenAPI document, same origin as the app. */
export const api = createApiClient({
  baseUrl: typeof location === 'undefined' ? '' : location.origin,
  getToken: () => readTokens()?.access_token,
  fetch: sessionFetch,
  // A 401 that survived the refresh: the session was revoked (deactivated user, new password elsewhere).
  onUnauthorized: (error: ApiError) => endSession(error),
});

export { ok };

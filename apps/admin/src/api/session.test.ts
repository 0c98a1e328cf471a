import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { onSessionEnd, readTokens, sessionFetch, storeTokens } from './session.ts';

/** An access token the app can read (the signature is the server's business; the app only reads `exp`). */
function jwt(expiresInSeconds: number, tag: string): string {
  const payload = Buffer.from(
    JSON.stringify({ exp: Math.floor(Date.now() / 1000) + expiresInSeconds, roles: ['owner'], tag }),
  ).toString('base64url');
  return `eyJhbGciOiJFZERTQSJ9.${payload}.sig`;
}

let calls: { url: string; authorization: string | null; body: string }[];
let refreshAnswer: () => Response;

beforeEach(() => {
  const store = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => store.set(k, v),
    removeItem: (k: string) => store.delete(k),
  });
  calls = [];
  let rotation = 0;
  refreshAnswer = () => {
    rotation += 1;
    return Response.json({ access_token: jwt(900, `fresh${rotation}`), refresh_token: `rt_${rotation}` });
  };
  vi.stubGlobal('fetch', async (input: Request | string, init?: RequestInit) => {
    const request = new Request(
      new URL(typeof input === 'string' ? input : input.url, 'http://shop.test'),
      init ?? (input as Request),
    );
    const body = await request.text();
    calls.push({ url: new URL(request.url).pathname, authorization: request.headers.get('authorization'), body });
    // Let concurrent callers pile up before any refresh answers.
    await new Promise((r) => setTimeout(r, 5));
    if (request.url.endsWith('/v1/auth/refresh')) return refreshAnswer();
    return Response.json({ ok: true });
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const get = (path: string) =>
  sessionFetch(new Request(`http://shop.test${path}`, { headers: { authorization: 'Bearer stale' } }));

describe('refresh rotation', () => {
  it('refreshes an expiring token once for many concurrent calls, and sends each call with the new token', async () => {
    storeTokens({ access_token: jwt(5, 'old'), refresh_token: 'rt_0' });
    await Promise.all([get('/v1/a'), get('/v1/b'), get('/v1/c')]);
    const refreshes = calls.filter((c) => c.url === '/v1/auth/refresh');
    expect(refreshes).toHaveLength(1);
    expect(JSON.parse(refreshes[0]?.body ?? '')).toEqual({ refresh_token: 'rt_0' });
    expect(readTokens()?.refresh_token).toBe('rt_1');
    const fresh = `Bearer ${readTokens()?.access_token ?? ''}`;
    expect(calls.filter((c) => c.url !== '/v1/auth/refresh').map((c) => c.authorization)).toEqual([
      fresh,
      fresh,
      fresh,
    ]);
  });

  it('leaves a token with time to live alone', async () => {
    const tokens = { access_token: jwt(600, 'good'), refresh_token: 'rt_0' };
    storeTokens(tokens);
    await get('/v1/a');
    expect(calls.map((c) => c.url)).toEqual(['/v1/a']);
    expect(calls[0]?.authorization).toBe(`Bearer ${tokens.access_token}`);
  });

  it('retries a call answered 401 token_expired once, after refreshing', async () => {
    storeTokens({ access_token: jwt(600, 'revoked-early'), refresh_token: 'rt_0' });
    const original = globalThis.fetch;
    let first = true;
    vi.stubGlobal('fetch', async (input: Request, init?: RequestInit) => {
      if (first && !input.url.endsWith('/refresh')) {
        first = false;
        calls.push({ url: '/v1/a', authorization: input.headers.get('authorization'), body: '' });
        return new Response('{}', { status: 401, headers: { 'x-error-code': 'token_expired' } });
      }
      return original(input, init);
    });
    const res = await get('/v1/a');
    expect(res.status).toBe(200);
    expect(calls.map((c) => c.url)).toEqual(['/v1/a', '/v1/auth/refresh', '/v1/a']);
  });

  it('ends the session when the refresh token is refused (reused, revoked or expired)', async () => {
    storeTokens({ access_token: jwt(1, 'old'), refresh_token: 'rt_spent' });
    refreshAnswer = () =>
      Response.json(
        { code: 'refresh_token_reused', status: 401, request_id: 'r1' },
        { status: 401, headers: { 'x-error-code': 'refresh_token_reused' } },
      );
    const ended: (string | undefined)[] = [];
    const stop = onSessionEnd((reason) => ended.push(reason?.code));
    await expect(get('/v1/a')).rejects.toMatchObject({ code: 'refresh_token_reused', status: 401 });
    stop();
    expect(ended).toEqual(['refresh_token_reused']);
    expect(readTokens()).toBeUndefined();
  });
});

import { Writable } from 'node:stream';
import { ALL_ROLES } from '@novapos/domain';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { loggerOptions } from '../src/platform/logger.ts';
import { bearer, createTestApp, createTestTenant, PASSWORD, type TestApp, type TestTenant } from './harness.ts';

type LogLine = Record<string, unknown>;

/** Distinctive secrets: long enough that finding one in a log line cannot be a coincidence. */
const WRONG_PASSWORD = 'wrong-horse-9f3c1a';
const WRONG_PIN = '73519286';
const BODY_SECRET = 'body-secret-5e2d77';

const raw: string[] = [];
let t: TestApp;
let app: App;
let shop: TestTenant;
let tokens: { access_token: string; refresh_token: string };
let pinTokens: { access_token: string; refresh_token: string };
let refreshedTokens: { access_token: string; refresh_token: string };
let explodedBody: string;
/** Cache-Control of each token response (and of a refused sign-in), by request id. */
const cacheControl: Record<string, unknown> = {};

/** Every string in a logged value, with the key it sits under. */
function strings(value: unknown, key = ''): [string, string][] {
  if (typeof value === 'string') return [[key, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => strings(v, k));
}

const lines = (): LogLine[] =>
  raw
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogLine);
const linesOf = (requestId: string) => lines().filter((l) => l.request_id === requestId);

beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestTenant(t);
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw.push(String(chunk));
      done();
    },
  });
  // The production logger options (redaction included), writing where the test can read.
  app = await buildApp({ ...t.deps, logger: pino(loggerOptions({ logLevel: 'info' }), stream) });
  // A route that fails unexpectedly, so the error path (which logs the error) is exercised too.
  app.post('/v1/test-only/explode', { config: { access: ALL_ROLES } }, async () => {
    throw new Error('exploded on purpose');
  });
  await app.ready();

  const signIn = async (payload: Record<string, unknown>, requestId: string, url = '/v1/auth/login') =>
    app.inject({ method: 'POST', url, payload, headers: { 'x-request-id': requestId } });
  const ok = await signIn({ email: shop.emails.owner, password: PASSWORD }, 'log-login-ok');
  expect(ok.statusCode).toBe(200);
  cacheControl.login = ok.headers['cache-control'];
  tokens = ok.json();
  const bad = await signIn({ email: shop.emails.owner, password: WRONG_PASSWORD }, 'log-login-bad');
  expect(bad.statusCode).toBe(401);
  cacheControl.refused = bad.headers['cache-control'];
  const pin = await signIn(
    { register_id: shop.registerId, pin: shop.pins.cashier },
    'log-pin-ok',
    '/v1/auth/pin-login',
  );
  expect(pin.statusCode).toBe(200);
  cacheControl.pinLogin = pin.headers['cache-control'];
  pinTokens = pin.json();
  const refreshed = await signIn({ refresh_token: pinTokens.refresh_token }, 'log-refresh', '/v1/auth/refresh');
  expect(refreshed.statusCode).toBe(200);
  cacheControl.refresh = refreshed.headers['cache-control'];
  refreshedTokens = refreshed.json();
  const badPin = await signIn({ register_id: shop.registerId, pin: WRONG_PIN }, 'log-pin-bad', '/v1/auth/pin-login');
  expect(badPin.statusCode).toBe(401);
  const me = await app.inject({
    method: 'GET',
    url: '/v1/me',
    headers: { ...bearer(tokens.access_token), 'x-request-id': 'log-me' },
  });
  expect(me.statusCode).toBe(200);
  // A token in the query string (as some clients send it for a download link) must not reach the log.
  const queried = await app.inject({
    method: 'GET',
    url: `/v1/me?access_token=${tokens.access_token}&note=${BODY_SECRET}`,
    headers: { 'x-request-id': 'log-query' },
  });
  expect(queried.statusCode).toBe(401);
  const boom = await app.inject({
    method: 'POST',
    url: '/v1/test-only/explode',
    payload: { password: BODY_SECRET, pin: WRONG_PIN },
    headers: { ...bearer(tokens.access_token), 'x-request-id': 'log-explode' },
  });
  expect(boom.statusCode).toBe(500);
  explodedBody = boom.body;
});
afterAll(async () => {
  await app.close();
  await t.close();
});

describe('token responses', () => {
  it('are never stored by a browser or a proxy: Cache-Control no-store, refusals included', () => {
    expect(cacheControl).toEqual({ login: 'no-store', refused: 'no-store', pinLogin: 'no-store', refresh: 'no-store' });
  });
});

describe('request logs', () => {
  it('are JSON lines that carry the request id on every request line', () => {
    const requestLines = lines().filter((l) => 'req' in l || 'res' in l);
    expect(requestLines.length).toBeGreaterThanOrEqual(12);
    for (const line of requestLines) expect(line.request_id, JSON.stringify(line)).toEqual(expect.any(String));
    for (const id of [
      'log-login-ok',
      'log-login-bad',
      'log-pin-ok',
      'log-pin-bad',
      'log-me',
      'log-query',
      'log-explode',
    ]) {
      expect(linesOf(id).map((l) => l.msg)).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
    }
  });

  it('log the path of a request without its query string', () => {
    const incoming = linesOf('log-query').find((l) => l.msg === 'incoming request');
    expect(incoming?.req).toMatchObject({ method: 'GET', url: '/v1/me' });
    expect(JSON.stringify(linesOf('log-query'))).not.toContain('access_token');
    expect(JSON.stringify(linesOf('log-query'))).not.toContain(BODY_SECRET);
  });

  it('log an unexpected error with the request id, tenant and user, and hide it from the client', () => {
    const error = linesOf('log-explode').find((l) => l.msg === 'unhandled error');
    expect(error).toMatchObject({
      level: 'error',
      request_id: 'log-explode',
      tenant_id: shop.tenantId,
      user_id: shop.ownerId,
      err: { message: 'exploded on purpose' },
    });
    expect(explodedBody).not.toContain('exploded on purpose');
    expect(JSON.parse(explodedBody)).toMatchObject({ code: 'internal_error', request_id: 'log-explode' });
  });

  it('never contain a password, a PIN, a token or the Authorization header', () => {
    const text = raw.join('');
    for (const secret of [
      PASSWORD,
      WRONG_PASSWORD,
      WRONG_PIN,
      BODY_SECRET,
      tokens.access_token,
      tokens.refresh_token,
      pinTokens.access_token,
      pinTokens.refresh_token,
      refreshedTokens.access_token,
      refreshedTokens.refresh_token,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text.toLowerCase()).not.toContain('bearer');
    // The cashier's real PIN is four digits, which could occur inside a request id or a time by chance: look for
    // it in every other logged string instead.
    for (const line of lines()) {
      for (const [key, value] of strings(line)) {
        if (key !== 'request_id' && key !== 'time')
          expect(value, `${key} in ${JSON.stringify(line)}`).not.toContain(shop.pins.cashier);
      }
    }
  });

  it('redact secrets wherever code might log them', () => {
    raw.length = 0;
    app.log.info(
      {
        req: { headers: { authorization: `Bearer ${tokens.access_token}`, cookie: 'sid=1' } },
        body: { password: BODY_SECRET, pin: WRONG_PIN, refresh_token: tokens.refresh_token },
        password: WRONG_PASSWORD,
        access_token: tokens.access_token,
      },
      'redaction probe',
    );
    const [probe] = lines();
    expect(probe).toMatchObject({
      msg: 'redaction probe',
      body: { password: '[redacted]', pin: '[redacted]', refresh_token: '[redacted]' },
      password: '[redacted]',
      access_token: '[redacted]',
    });
    // A logged `req` goes through Fastify's request serializer, which keeps no headers at all.
    expect(probe!.req).not.toHaveProperty('headers');
    const text = JSON.stringify(probe);
    for (const secret of [tokens.access_token, tokens.refresh_token, BODY_SECRET, WRONG_PASSWORD, WRONG_PIN]) {
      expect(text).not.toContain(secret);
    }
  });
});

import { describe, expect, expectTypeOf, test } from 'vitest';
import { ERROR_STATUS } from '../../../apps/server/src/errors.ts';
import { ApiError, createApiClient, ERROR_SENTENCES, errorSentence, ok, type Schema } from './index.ts';

function problem(status: number, code: string): Response {
  return new Response(JSON.stringify({ status, code, detail: 'server detail', request_id: 'req-1' }), {
    status,
    headers: { 'content-type': 'application/problem+json', 'x-error-code': code },
  });
}

describe('error sentences', () => {
  test('every code the server can answer has a plain-language sentence', () => {
    const missing = Object.keys(ERROR_STATUS).filter((code) => !(code in ERROR_SENTENCES));
    expect(missing).toEqual([]);
  });

  test('an unknown code falls back to a sentence for its status', () => {
    expect(errorSentence('something_new', 503)).toBe(ERROR_SENTENCES.internal_error);
    expect(errorSentence('something_new', 403)).toBe(ERROR_SENTENCES.forbidden);
  });
});

describe('createApiClient and ok()', () => {
  test('a problem becomes an ApiError with code, status, request id and a sentence', async () => {
    const api = createApiClient({
      baseUrl: 'http://till.test',
      fetch: async () => problem(409, 'insufficient_stock'),
    });
    const err = await ok(api.GET('/v1/me')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      code: 'insufficient_stock',
      status: 409,
      request_id: 'req-1',
      detail: 'server detail',
      message: ERROR_SENTENCES.insufficient_stock,
    });
  });

  test('the bearer token is sent, and a 401 calls onUnauthorized', async () => {
    let seen: string | null = null;
    let signedOut: ApiError | undefined;
    const api = createApiClient({
      baseUrl: 'http://till.test',
      getToken: () => 'tkn',
      onUnauthorized: (e) => {
        signedOut = e;
      },
      fetch: async (input) => {
        seen = (input as Request).headers.get('authorization');
        return problem(401, 'token_expired');
      },
    });
    await expect(ok(api.GET('/v1/me'))).rejects.toMatchObject({ code: 'token_expired' });
    expect(seen).toBe('Bearer tkn');
    expect(signedOut?.code).toBe('token_expired');
  });

  test('a server that cannot be reached is network_error with status 0', async () => {
    const api = createApiClient({
      baseUrl: 'http://till.test',
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const err = (await ok(api.GET('/v1/me')).catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('network_error');
    expect(err.isNetwork).toBe(true);
    expect(err.message).toBe(ERROR_SENTENCES.network_error);
  });

  test('a failed call is typed as a problem: errors are declared as application/problem+json', async () => {
    const api = createApiClient({
      baseUrl: 'http://till.test',
      fetch: async () => problem(404, 'order_not_found'),
    });
    const { error } = await api.GET('/v1/orders/{id}', {
      params: { path: { id: '01900000-0000-7000-8000-000000000000' } },
    });
    // Typed, not unknown: the error is exactly the Problem schema (each type extends the other).
    expectTypeOf(error).not.toBeUnknown();
    expectTypeOf(error).toExtend<Schema<'Problem'> | undefined>();
    expectTypeOf<Schema<'Problem'> | undefined>().toExtend<typeof error>();
    expect(error?.code).toBe('order_not_found');
  });

  test('success returns the typed data', async () => {
    const api = createApiClient({
      baseUrl: 'http://till.test',
      fetch: async () => Response.json({ status: 'ok' }),
    });
    await expect(ok(api.GET('/healthz'))).resolves.toMatchObject({ status: 'ok' });
  });
});

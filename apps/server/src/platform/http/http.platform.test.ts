import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { createTestApp, expectProblem, type TestApp } from '../../../test/harness.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('request ids', () => {
  it('generates one when absent and echoes it in the response and the problem body', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/nothing-here' });
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json().request_id).toBe(id);
  });

  it('keeps a sane client X-Request-Id and replaces an unsafe one', async () => {
    const kept = await t.app.inject({
      method: 'GET',
      url: '/v1/nothing-here',
      headers: { 'x-request-id': 'till-7:abc.123' },
    });
    expect(kept.headers['x-request-id']).toBe('till-7:abc.123');
    const replaced = await t.app.inject({
      method: 'GET',
      url: '/v1/nothing-here',
      headers: { 'x-request-id': 'bad id\u0000<script>' },
    });
    expect(replaced.headers['x-request-id']).not.toContain('script');
  });
});

describe('problems', () => {
  it('answers an unknown route with 404 route_not_found as application/problem+json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' });
    expectProblem(res, 404, 'route_not_found');
    expect(res.json()).toMatchObject({
      type: 'urn:novapos:problem:route_not_found',
      title: 'Not Found',
      instance: '/v1/nothing-here',
    });
  });

  it('answers malformed JSON with 400 malformed_json and a wrong content type with 415', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expectProblem(bad, 400, 'malformed_json');
    const text = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expectProblem(text, 415, 'unsupported_media_type');
  });

  it('rejects unknown fields instead of silently dropping them', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'a@example.com', password: 'x', role: 'owner' },
    });
    expectProblem(res, 400, 'validation_failed');
    expect(res.json().errors).toEqual([{ field: 'role', message: 'is not a known field' }]);
  });

  it('bounds string lengths', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'a@example.com', password: 'x'.repeat(1025) },
    });
    expectProblem(res, 400, 'validation_failed');
    expect(res.json().errors[0].field).toBe('password');
  });

  it('hides the details of an unexpected error behind 500 internal_error', async () => {
    const app = await buildApp(t.deps);
    app.get('/boom', async () => {
      throw new Error('secret internals: connection string postgres://user:pw@db');
    });
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expectProblem(res, 500, 'internal_error');
    expect(res.body).not.toContain('secret');
    await app.close();
  });
});

describe('access declarations', () => {
  it('refuses to start when a /v1 route does not say who may call it', async () => {
    const app = await buildApp(t.deps);
    expect(() => app.get('/v1/forgot-access', async () => ({}))).toThrow(/must declare config.access/);
    await app.close();
  });

  it('answers 401 before validating the body of a protected route', async () => {
    const app = await buildApp(t.deps);
    app.post(
      '/v1/test-protected',
      {
        config: { access: ['owner'] },
        schema: { body: Type.Object({ n: Type.Integer() }, { additionalProperties: false }) },
      },
      async () => ({}),
    );
    const res = await app.inject({ method: 'POST', url: '/v1/test-protected', payload: { n: 'not a number' } });
    expectProblem(res, 401, 'unauthorized');
    await app.close();
  });
});

describe('OpenAPI', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(
      doc.paths['/v1/auth/login'].post.requestBody.content['application/json'].schema.properties.email,
    ).toBeDefined();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/auth/login', '/v1/auth/refresh', '/v1/me', '/.well-known/jwks.json']),
    );
    expect(doc.components.schemas.Problem).toBeDefined();
  });

  it('serves an interactive reference at /docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});

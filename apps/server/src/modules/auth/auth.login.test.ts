import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestTenant,
  expectProblem,
  login,
  PASSWORD,
  type TestApp,
  type TestTenant,
} from '../../../test/harness.ts';

let t: TestApp;
let shop: TestTenant;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestTenant(t);
});
afterAll(() => t.close());

describe('POST /v1/auth/login', () => {
  it('signs in with e-mail and password and returns a bearer token pair', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: shop.emails.owner, password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(body.refresh_token).toMatch(/^rt_/);
    const me = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(body.access_token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: shop.ownerId, tenant_id: shop.tenantId, roles: ['owner'], kind: 'user' });
  });

  it('refuses a wrong password with 401 invalid_credentials', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: shop.emails.admin, password: 'wrong password' },
    });
    expectProblem(res, 401, 'invalid_credentials');
  });

  it('refuses an unknown e-mail the same way', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'nobody@example.com', password: PASSWORD },
    });
    expectProblem(res, 401, 'invalid_credentials');
  });

  it('answers a malformed body with 400 validation_failed naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'not-an-email', password: PASSWORD },
    });
    expectProblem(res, 400, 'validation_failed');
    expect(res.json().errors[0].field).toBe('email');
  });

  it('signs in each role', async () => {
    for (const role of ['admin', 'manager', 'cashier'] as const) {
      const tokens = await login(t, shop.emails[role]);
      const me = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(tokens.access_token) });
      expect(me.json().roles).toEqual([role]);
    }
  });
});

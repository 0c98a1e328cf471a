import { describe, expect, it } from 'vitest';
import { expectProblem, PASSWORD, useShop } from '../../../test/harness.ts';

// Nobody signs in before the tests: signing in is what they test.
const shop = useShop({ roles: [] });

describe('POST /v1/auth/login', () => {
  it('signs in with e-mail and password and returns a bearer token pair', async () => {
    const res = await shop.anon.post('/v1/auth/login', { email: shop.emails.owner, password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(body.refresh_token).toMatch(/^rt_/);
    const me = await shop.withToken(body.access_token).get('/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: shop.ownerId, tenant_id: shop.tenantId, roles: ['owner'], kind: 'user' });
  });

  it('refuses a wrong password with 401 invalid_credentials', async () => {
    const res = await shop.anon.post('/v1/auth/login', { email: shop.emails.admin, password: 'wrong password' });
    expectProblem(res, 401, 'invalid_credentials');
  });

  it('refuses an unknown e-mail the same way', async () => {
    const res = await shop.anon.post('/v1/auth/login', { email: 'nobody@example.com', password: PASSWORD });
    expectProblem(res, 401, 'invalid_credentials');
  });

  it('answers a malformed body with 400 validation_failed naming the field', async () => {
    const res = await shop.anon.post('/v1/auth/login', { email: 'not-an-email', password: PASSWORD });
    expectProblem(res, 400, 'validation_failed');
    expect(res.json().errors[0].field).toBe('email');
  });

  it('signs in each role', async () => {
    for (const role of ['admin', 'manager', 'cashier'] as const) {
      const tokens = await shop.signIn(role);
      const me = await shop.withToken(tokens.access_token).get('/v1/me');
      expect(me.json().roles).toEqual([role]);
    }
  });
});

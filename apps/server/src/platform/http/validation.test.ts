import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestTenant,
  expectProblem,
  login,
  type TestApp,
  type TestTenant,
} from '../../../test/harness.ts';

let t: TestApp;
let shop: TestTenant;
let owner: string;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestTenant(t);
  owner = (await login(t, shop.emails.owner)).access_token;
});
afterAll(() => t.close());

describe('validation by request part', () => {
  it('never coerces a JSON body: a number where a string belongs is refused, not turned into text', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/locations',
      headers: bearer(owner),
      payload: { name: 12345 },
    });
    expectProblem(res, 400, 'validation_failed');
    expect(res.json().errors[0].field).toBe('name');
  });

  it('never turns an empty string into null: "pin": "" is refused instead of clearing the PIN', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/v1/users/${shop.userIds.cashier}`,
      headers: bearer(owner),
      payload: { pin: '' },
    });
    expectProblem(res, 400, 'validation_failed');
    const pinLogin = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/pin-login',
      payload: { register_id: shop.registerId, pin: shop.pins.cashier },
    });
    expect(pinLogin.statusCode).toBe(200);
  });

  it('coerces query strings, which arrive as text: ?limit=1 is the number 1', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/users?limit=1', headers: bearer(owner) });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toHaveLength(1);
    expect(res.json().next_cursor).toBeTypeOf('string');
  });
});

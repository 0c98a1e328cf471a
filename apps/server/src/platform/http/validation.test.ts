import { describe, expect, it } from 'vitest';
import { expectProblem, useShop } from '../../../test/harness.ts';

const shop = useShop();
const owner = shop.as('owner');

describe('validation by request part', () => {
  it('never coerces a JSON body: a number where a string belongs is refused, not turned into text', async () => {
    const res = await owner.post('/v1/locations', { name: 12345 });
    expectProblem(res, 400, 'validation_failed');
    expect(res.json().errors[0].field).toBe('name');
  });

  it('never turns an empty string into null: "pin": "" is refused instead of clearing the PIN', async () => {
    const res = await owner.patch(`/v1/users/${shop.userIds.cashier}`, { pin: '' });
    expectProblem(res, 400, 'validation_failed');
    const pinLogin = await shop.anon.post('/v1/auth/pin-login', {
      register_id: shop.registerId,
      pin: shop.pins.cashier,
    });
    expect(pinLogin.statusCode).toBe(200);
  });

  it('coerces query strings, which arrive as text: ?limit=1 is the number 1', async () => {
    const res = await owner.get('/v1/users?limit=1');
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toHaveLength(1);
    expect(res.json().next_cursor).toBeTypeOf('string');
  });
});

import { describe, expect, it } from 'vitest';
import { expectProblem, PASSWORD, useShop } from '../../../test/harness.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { systemContext } from '../../platform/context.ts';

// Nobody signs in before the tests: the sessions are what they test.
const shop = useShop({ roles: [] });

function refresh(token: string) {
  return shop.anon.post('/v1/auth/refresh', { refresh_token: token });
}

/** The actions of the tenant's audit trail. */
async function auditActions(): Promise<string[]> {
  return (await shop.audit({ tenantId: shop.tenantId })).map((e) => e.action);
}

describe('refresh tokens', () => {
  it('rotate: each refresh returns a new pair and the new access token works', async () => {
    const first = await shop.signIn('admin');
    const res = await refresh(first.refresh_token);
    expect(res.statusCode).toBe(200);
    const second = res.json();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const me = await shop.withToken(second.access_token).get('/v1/me');
    expect(me.statusCode).toBe(200);
  });

  it('reuse of a used token revokes the whole family', async () => {
    const first = await shop.signIn('manager');
    const second = (await refresh(first.refresh_token)).json();
    const third = (await refresh(second.refresh_token)).json();
    // The thief replays the first token: refused, and every token of the family dies with it.
    expectProblem(await refresh(first.refresh_token), 401, 'refresh_token_reused');
    expectProblem(await refresh(third.refresh_token), 401, 'invalid_refresh_token');
    expect(await auditActions()).toContain('auth.refresh_token_reused');
    // Another sign-in (another family) is unaffected.
    const fresh = await shop.signIn('manager');
    expect((await refresh(fresh.refresh_token)).statusCode).toBe(200);
  });

  it('refuses an unknown token with 401 invalid_refresh_token', async () => {
    expectProblem(await refresh('rt_unknown'), 401, 'invalid_refresh_token');
  });

  it('logout ends the session: its refresh token stops working', async () => {
    const tokens = await shop.signIn('cashier');
    const res = await shop.anon.post('/v1/auth/logout', { refresh_token: tokens.refresh_token });
    expect(res.statusCode).toBe(204);
    expectProblem(await refresh(tokens.refresh_token), 401, 'invalid_refresh_token');
    expect(await auditActions()).toContain('auth.logged_out');
  });

  it('refresh picks up role changes made since sign-in', async () => {
    const tokens = await shop.signIn('cashier');
    await tenantTx(shop.deps.db, systemContext(shop.tenantId), (tx) =>
      tx.query(`UPDATE users SET roles = ARRAY['cashier','manager'] WHERE id = $1`, [shop.userIds.cashier]),
    );
    const renewed = (await refresh(tokens.refresh_token)).json();
    const me = await shop.withToken(renewed.access_token).get('/v1/me');
    expect(me.json().roles).toEqual(['cashier', 'manager']);
    await tenantTx(shop.deps.db, systemContext(shop.tenantId), (tx) =>
      tx.query(`UPDATE users SET roles = ARRAY['cashier'] WHERE id = $1`, [shop.userIds.cashier]),
    );
  });
});

describe('PIN sign-in', () => {
  it('signs a cashier in at a register', async () => {
    const res = await shop.anon.post('/v1/auth/pin-login', { register_id: shop.registerId, pin: shop.pins.cashier });
    expect(res.statusCode).toBe(200);
    const me = (await shop.withToken(res.json().access_token).get('/v1/me')).json();
    expect(me).toMatchObject({ id: shop.userIds.cashier, register_id: shop.registerId, roles: ['cashier'] });
  });

  it('refuses a wrong PIN with 401 invalid_pin and audits it on the register chain', async () => {
    const res = await shop.anon.post('/v1/auth/pin-login', { register_id: shop.registerId, pin: '99999999' });
    expectProblem(res, 401, 'invalid_pin');
    const failed = await shop.audit({ tenantId: shop.tenantId, action: 'auth.pin_failed' });
    expect(failed.map((e) => e.chain_key)).toContain(`register:${shop.registerId}`);
  });

  it('refuses an unknown register with 404 register_not_found and a malformed PIN with 400', async () => {
    const unknown = await shop.anon.post('/v1/auth/pin-login', {
      register_id: '01890000-0000-7000-8000-000000000000',
      pin: '1234',
    });
    expectProblem(unknown, 404, 'register_not_found');
    const malformed = await shop.anon.post('/v1/auth/pin-login', { register_id: shop.registerId, pin: '12a4' });
    expectProblem(malformed, 400, 'validation_failed');
  });
});

describe('lockout', () => {
  it('locks an account after 10 failed sign-ins in 15 minutes: the 11th attempt gets 423 account_locked, even with the right password', async () => {
    const lockShop = await shop.addTenant('Lock Shop', []);
    const attempt = (password: string) =>
      shop.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        remoteAddress: '10.9.9.9',
        payload: { email: lockShop.emails.admin, password },
      });
    for (let i = 1; i <= 9; i++) expectProblem(await attempt(`wrong-${i}`), 401, 'invalid_credentials');
    // The 10th failure locks the account.
    expectProblem(await attempt('wrong-10'), 423, 'account_locked');
    const eleventh = await attempt(PASSWORD);
    expectProblem(eleventh, 423, 'account_locked');
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(29 * 60);
    expect(eleventh.json().locked_until).toBeTypeOf('string');

    const actions = (await shop.audit({ tenantId: lockShop.tenantId, entityId: lockShop.userIds.admin })).map(
      (e) => e.action,
    );
    expect(actions.filter((a) => a === 'auth.login_failed')).toHaveLength(10);
    expect(actions).toContain('auth.account_locked');
    // Other accounts of the tenant still sign in.
    await lockShop.signIn('owner');
  });

  it('unlocks when the lock expires, and a success resets the count', async () => {
    const s = await shop.addTenant('Unlock Shop', []);
    for (let i = 0; i < 10; i++) {
      await shop.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        remoteAddress: '10.9.9.8',
        payload: { email: s.emails.cashier, password: 'nope' },
      });
    }
    await tenantTx(shop.deps.db, systemContext(s.tenantId), (tx) =>
      tx.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [s.userIds.cashier]),
    );
    await s.signIn('cashier');
    const { rows } = await tenantTx(shop.deps.db, systemContext(s.tenantId), (tx) =>
      tx.query('SELECT failed_login_count, locked_until FROM users WHERE id = $1', [s.userIds.cashier]),
    );
    expect(rows[0]).toMatchObject({ failed_login_count: 0, locked_until: null });
  });
});

describe('login rate limit per client address', () => {
  const limited = useShop({ env: { LOGIN_RATE_LIMIT_POINTS: '3', LOGIN_RATE_LIMIT_WINDOW_SECONDS: '60' }, roles: [] });

  it('answers 429 rate_limited with Retry-After once an address exceeds its budget', async () => {
    // From addresses of their own: the client's own remote address is what is limited.
    const attempt = (ip: string) =>
      limited.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        remoteAddress: ip,
        payload: { email: 'x@example.com', password: 'whatever' },
      });
    for (let i = 0; i < 3; i++) expectProblem(await attempt('10.1.1.1'), 401, 'invalid_credentials');
    const blocked = await attempt('10.1.1.1');
    expectProblem(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    expectProblem(await attempt('10.1.1.2'), 401, 'invalid_credentials');
  });
});

import { describe, expect, it } from 'vitest';
import { expectProblem, PASSWORD, useShop, type Client } from '../../../test/harness.ts';

const shop = useShop({ roles: ['owner', 'admin'] });
let owner: Client = shop.as('owner');
const admin = shop.as('admin');

let seq = 0;
function newEmail(): string {
  return `rules.${Date.now().toString(36)}.${seq++}@example.com`;
}
function post(as: Client, url: string, payload?: object) {
  return as.post(url, payload);
}
function patch(as: Client, url: string, payload: unknown) {
  return as.patch(url, payload);
}

async function userRow(id: string): Promise<{ roles: string[]; active: boolean }> {
  const { rows } = await shop.deps.db.system.query('SELECT roles, active FROM users WHERE id = $1', [id]);
  return rows[0] as { roles: string[]; active: boolean };
}

/** A second owner with a password, signed in. */
async function newOwner(): Promise<{ id: string; token: Client }> {
  const email = newEmail();
  const res = await post(owner, '/v1/users', {
    email,
    display_name: 'Olive Owner',
    password: PASSWORD,
    roles: ['owner'],
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id, token: shop.withToken((await shop.login(email)).access_token) };
}

describe('who may manage users', () => {
  it('refuses cashiers and managers with 403 forbidden', async () => {
    for (const role of ['cashier', 'manager'] as const) {
      const token = shop.as(role);
      const res = await post(token, '/v1/users', { email: newEmail(), display_name: 'X', roles: ['cashier'] });
      expectProblem(res, 403, 'forbidden');
      const list = await token.get('/v1/users');
      expectProblem(list, 403, 'forbidden');
    }
  });

  it('refuses an admin granting owner with 403 role_not_grantable, writing nothing', async () => {
    const email = newEmail();
    const res = await post(admin, '/v1/users', { email, display_name: 'Wannabe', roles: ['owner'] });
    expectProblem(res, 403, 'role_not_grantable');
    const { rows } = await shop.deps.db.system.query('SELECT 1 FROM users WHERE email = $1', [email]);
    expect(rows).toHaveLength(0);
    const self = await patch(admin, `/v1/users/${shop.userIds.admin}`, { roles: ['owner', 'admin'] });
    expectProblem(self, 403, 'role_not_grantable');
    expect((await userRow(shop.userIds.admin)).roles).toEqual(['admin']);
  });

  it('lets an admin create admins and managers', async () => {
    const res = await post(admin, '/v1/users', { email: newEmail(), display_name: 'Al', roles: ['admin', 'manager'] });
    expect(res.statusCode, res.body).toBe(201);
  });

  it("refuses an admin changing or deactivating an owner's account", async () => {
    const res = await patch(admin, `/v1/users/${shop.ownerId}`, { display_name: 'Renamed by admin' });
    expectProblem(res, 403, 'forbidden');
    expectProblem(await post(admin, `/v1/users/${shop.ownerId}/deactivate`), 403, 'forbidden');
    expect(await userRow(shop.ownerId)).toEqual({ roles: ['owner'], active: true });
  });
});

describe('the last active owner', () => {
  it('cannot lose the owner role (409 last_owner) while another owner can', async () => {
    const res = await patch(owner, `/v1/users/${shop.ownerId}`, { roles: ['admin'] });
    expectProblem(res, 409, 'last_owner');
    expect((await userRow(shop.ownerId)).roles).toEqual(['owner']);

    const second = await newOwner();
    const demoted = await patch(second.token, `/v1/users/${second.id}`, { roles: ['admin'] });
    expect(demoted.statusCode, demoted.body).toBe(200);
    expect(demoted.json().roles).toEqual(['admin']);
  });

  it('cannot be deactivated (409 last_owner), even by an owner whose own account was deactivated', async () => {
    const second = await newOwner();
    // The first owner deactivates the second; the second's access token still lives for a few minutes.
    expect((await post(owner, `/v1/users/${second.id}/deactivate`)).statusCode).toBe(200);
    const res = await post(second.token, `/v1/users/${shop.ownerId}/deactivate`);
    expectProblem(res, 409, 'last_owner');
    expect((await userRow(shop.ownerId)).active).toBe(true);
  });

  it('two owners demoting each other at once: exactly one wins', async () => {
    const activeOwners = async () =>
      (
        await shop.deps.db.system.query(
          `SELECT id FROM users WHERE tenant_id = $1 AND active AND 'owner' = ANY(roles)`,
          [shop.tenantId],
        )
      ).rows.length;
    expect(await activeOwners()).toBe(1);
    const second = await newOwner();
    const results = await Promise.all([
      patch(owner, `/v1/users/${second.id}`, { roles: ['admin'] }),
      patch(second.token, `/v1/users/${shop.ownerId}`, { roles: ['admin'] }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await activeOwners()).toBe(1);
    // Put the first owner back in charge for the tests that follow.
    if ((await userRow(shop.ownerId)).roles[0] !== 'owner') {
      expect((await patch(second.token, `/v1/users/${shop.ownerId}`, { roles: ['owner'] })).statusCode).toBe(200);
      owner = shop.withToken((await shop.login(shop.emails.owner)).access_token);
    }
  });

  it('nobody deactivates themselves (403 cannot_deactivate_self)', async () => {
    expectProblem(await post(owner, `/v1/users/${shop.ownerId}/deactivate`), 403, 'cannot_deactivate_self');
    expectProblem(await post(admin, `/v1/users/${shop.userIds.admin}/deactivate`), 403, 'cannot_deactivate_self');
    expect((await userRow(shop.userIds.admin)).active).toBe(true);
  });
});

describe('deactivation and reactivation', () => {
  it('ends the sessions of the user in the same transaction and blocks sign-in', async () => {
    const email = newEmail();
    const created = await post(admin, '/v1/users', {
      email,
      display_name: 'Leaving Soon',
      password: PASSWORD,
      pin: '864209',
      roles: ['cashier'],
    });
    const id = created.json().id;
    const session = await shop.login(email);

    const res = await post(admin, `/v1/users/${id}/deactivate`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().active).toBe(false);

    const refreshed = await shop.anon.post('/v1/auth/refresh', { refresh_token: session.refresh_token });
    expect(refreshed.statusCode).toBe(401);
    const signIn = await shop.anon.post('/v1/auth/login', { email, password: PASSWORD });
    expectProblem(signIn, 403, 'account_inactive');
    const pin = await shop.anon.post('/v1/auth/pin-login', { register_id: shop.registerId, pin: '864209' });
    expectProblem(pin, 401, 'invalid_pin');

    expect(await shop.audit({ entityId: id, action: 'user.deactivated' })).toMatchAudit([
      { action: 'user.deactivated', data: { revoked_sessions: 1 } },
    ]);
    const live = await shop.deps.db.system.query(
      'SELECT 1 FROM refresh_tokens WHERE subject_id = $1 AND revoked_at IS NULL',
      [id],
    );
    expect(live.rows).toHaveLength(0);

    // Deactivating again changes nothing; reactivating lets them back in with what they had.
    expect((await post(admin, `/v1/users/${id}/deactivate`)).json().active).toBe(false);
    const back = await post(admin, `/v1/users/${id}/reactivate`);
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ active: true, has_pin: true, has_password: true });
    await shop.login(email);
    expect(await shop.audit({ entityId: id, action: 'user.*' })).toMatchAudit([
      'user.created',
      'user.deactivated',
      'user.reactivated',
    ]);
  });

  it('a new password ends the sessions the user had', async () => {
    const email = newEmail();
    const created = await post(owner, '/v1/users', {
      email,
      display_name: 'Forgetful',
      password: PASSWORD,
      roles: ['manager'],
    });
    const session = await shop.login(email);
    const res = await patch(owner, `/v1/users/${created.json().id}`, { password: 'a brand new password' });
    expect(res.statusCode).toBe(200);
    const refreshed = await shop.anon.post('/v1/auth/refresh', { refresh_token: session.refresh_token });
    expect(refreshed.statusCode).toBe(401);
    await shop.login(email, 'a brand new password');
  });
});

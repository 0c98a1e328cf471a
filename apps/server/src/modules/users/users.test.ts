import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { expectProblem, useShop, type Client } from '../../../test/harness.ts';

const shop = useShop({ roles: ['owner', 'admin'] });
const owner = shop.as('owner');
const admin = shop.as('admin');

let seq = 0;
function newEmail(): string {
  return `staff.${Date.now().toString(36)}.${seq++}@example.com`;
}

function post(as: Client, url: string, payload: unknown) {
  return as.post(url, payload);
}
function patch(as: Client, url: string, payload: unknown) {
  return as.patch(url, payload);
}
function get(as: Client, url: string) {
  return as.get(url);
}

async function countUsers(): Promise<number> {
  const { rows } = await shop.deps.db.system.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM users WHERE tenant_id = $1',
    [shop.tenantId],
  );
  return rows[0]!.n;
}

/** The action, data and actor of an entity's audit events, oldest first. */
async function auditOf(entityId: string): Promise<{ action: string; data: unknown; actor_id: string | null }[]> {
  const events = await shop.audit({ tenantId: shop.tenantId, entityId });
  return events.map(({ action, data, actor_id }) => ({ action, data: data as unknown, actor_id }));
}

describe('POST /v1/users', () => {
  it('creates a user and shows flags, never the secrets', async () => {
    const email = newEmail();
    const res = await post(owner, '/v1/users', {
      email,
      display_name: '  Nina Newhire ',
      password: 'long enough password',
      roles: ['cashier', 'manager'],
      location_ids: [shop.locationId],
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      email,
      display_name: 'Nina Newhire',
      roles: ['manager', 'cashier'],
      location_ids: [shop.locationId],
      active: true,
      has_pin: false,
      has_password: true,
      last_login_at: null,
    });
    expect(res.headers.location).toBe(`/v1/users/${body.id}`);
    expect(res.body).not.toMatch(/password_hash|pin_lookup|argon2/);
    const audit = await auditOf(body.id);
    expect(audit.map((a) => a.action)).toEqual(['user.created']);
    expect(audit[0]!.actor_id).toBe(shop.ownerId);
    expect(audit[0]!.data).toMatchObject({ roles: ['manager', 'cashier'], has_password: true, has_pin: false });
    // The new user signs in with the password.
    await shop.login(email, 'long enough password');
  });

  it('creates a user with a PIN who can then sign in at a register', async () => {
    const res = await post(admin, '/v1/users', {
      email: newEmail(),
      display_name: 'Pat Pin',
      pin: '907531',
      roles: ['cashier'],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ has_pin: true, has_password: false });
    expect(JSON.stringify(await auditOf(res.json().id))).not.toContain('907531');
    const pinLogin = await shop.anon.post('/v1/auth/pin-login', { register_id: shop.registerId, pin: '907531' });
    expect(pinLogin.statusCode, pinLogin.body).toBe(200);
    const me = await get(shop.withToken(pinLogin.json().access_token), '/v1/me');
    expect(me.json()).toMatchObject({ id: res.json().id, register_id: shop.registerId });
  });

  it('refuses a PIN another user of the tenant has with 409 pin_taken, writing nothing', async () => {
    const before = await countUsers();
    const res = await post(owner, '/v1/users', {
      email: newEmail(),
      display_name: 'Dup Pin',
      pin: shop.pins.cashier,
      roles: ['cashier'],
    });
    expectProblem(res, 409, 'pin_taken');
    expect(res.json().errors[0].field).toBe('pin');
    expect(await countUsers()).toBe(before);
  });

  it('refuses an e-mail taken in another case with 409 email_taken, writing nothing', async () => {
    const before = await countUsers();
    const res = await post(owner, '/v1/users', {
      email: shop.emails.cashier.toUpperCase(),
      display_name: 'Dup Mail',
      roles: ['cashier'],
    });
    expectProblem(res, 409, 'email_taken');
    expect(await countUsers()).toBe(before);
    const { rows } = await shop.deps.db.system.query('SELECT 1 FROM audit_events WHERE data->>$1 = $2', [
      'display_name',
      'Dup Mail',
    ]);
    expect(rows).toHaveLength(0);
  });

  it('refuses a location scope naming a location that is not an active one with 400 validation_failed', async () => {
    const before = await countUsers();
    const res = await post(owner, '/v1/users', {
      email: newEmail(),
      display_name: 'Lost',
      roles: ['cashier'],
      location_ids: [shop.locationId, '01890000-0000-7000-8000-000000000000'],
    });
    expectProblem(res, 400, 'validation_failed');
    expect(res.json().errors[0].field).toBe('location_ids[1]');
    expect(await countUsers()).toBe(before);
  });
});

describe('GET /v1/users', () => {
  it('lists with filters on role, active and a search, in pages', async () => {
    const cashiers = await get(owner, '/v1/users?role=cashier&limit=200');
    expect(cashiers.statusCode).toBe(200);
    expect(cashiers.json().data.length).toBeGreaterThan(0);
    expect(cashiers.json().data.every((u: { roles: string[] }) => u.roles.includes('cashier'))).toBe(true);

    const search = await get(owner, `/v1/users?q=${encodeURIComponent('ADA ADM')}`);
    expect(search.json().data.map((u: { id: string }) => u.id)).toEqual([shop.userIds.admin]);
    const wildcard = await get(owner, `/v1/users?q=${encodeURIComponent('%')}`);
    expect(wildcard.json().data).toEqual([]);

    const inactive = await get(owner, '/v1/users?active=false');
    expect(inactive.json().data.every((u: { active: boolean }) => !u.active)).toBe(true);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: LightMyRequestResponse = await get(
        owner,
        `/v1/users?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      expect(page.statusCode).toBe(200);
      expect(page.json().data.length).toBeLessThanOrEqual(2);
      seen.push(...page.json().data.map((u: { id: string }) => u.id));
      cursor = page.json().next_cursor;
    } while (cursor !== null);
    expect(seen.length).toBe(await countUsers());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('gets one user by id, and 404 user_not_found for an unknown id', async () => {
    const res = await get(admin, `/v1/users/${shop.userIds.cashier}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: shop.userIds.cashier, email: shop.emails.cashier, has_pin: true });
    expectProblem(await get(admin, '/v1/users/01890000-0000-7000-8000-000000000000'), 404, 'user_not_found');
  });
});

describe('PATCH /v1/users/:id', () => {
  it('changes roles and audits before and after', async () => {
    const created = await post(owner, '/v1/users', { email: newEmail(), display_name: 'Rory', roles: ['cashier'] });
    const id = created.json().id;
    const res = await patch(admin, `/v1/users/${id}`, { roles: ['manager', 'cashier'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().roles).toEqual(['manager', 'cashier']);
    const audit = await auditOf(id);
    const change = audit.find((a) => a.action === 'user.roles_changed');
    expect(change?.data).toEqual({ before: ['cashier'], after: ['manager', 'cashier'] });
    expect(change?.actor_id).toBe(shop.userIds.admin);
  });

  it('changes the location scope, name, PIN and password, each audited without secrets', async () => {
    const created = await post(owner, '/v1/users', {
      email: newEmail(),
      display_name: 'Sam',
      roles: ['cashier'],
      pin: '246813',
    });
    const id = created.json().id;
    const res = await patch(owner, `/v1/users/${id}`, {
      display_name: 'Samantha',
      location_ids: [shop.locationId],
      pin: '135792',
      password: 'another long password',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      display_name: 'Samantha',
      location_ids: [shop.locationId],
      has_pin: true,
      has_password: true,
    });
    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual([
      'user.created',
      'user.updated',
      'user.location_scope_changed',
      'user.pin_changed',
      'user.password_changed',
    ]);
    expect(audit[2]!.data).toEqual({ before: [], after: [shop.locationId] });
    expect(JSON.stringify(audit)).not.toMatch(/135792|246813|another long password/);

    const cleared = await patch(owner, `/v1/users/${id}`, { pin: null });
    expect(cleared.json().has_pin).toBe(false);
    const oldPin = await shop.anon.post('/v1/auth/pin-login', { register_id: shop.registerId, pin: '135792' });
    expectProblem(oldPin, 401, 'invalid_pin');
  });

  it('a patch that changes nothing writes nothing', async () => {
    const before = await auditOf(shop.userIds.cashier);
    const res = await patch(owner, `/v1/users/${shop.userIds.cashier}`, { roles: ['cashier'] });
    expect(res.statusCode).toBe(200);
    expect(await auditOf(shop.userIds.cashier)).toEqual(before);
  });

  it('refuses a PIN taken by another user with 409 pin_taken', async () => {
    const res = await patch(owner, `/v1/users/${shop.userIds.admin}`, { pin: shop.pins.manager });
    expectProblem(res, 409, 'pin_taken');
    const admins = await get(owner, `/v1/users/${shop.userIds.admin}`);
    expect(admins.json().has_pin).toBe(false);
  });
});

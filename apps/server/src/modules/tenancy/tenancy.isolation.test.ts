import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, useShop, type Tenant } from '../../../test/harness.ts';

// Two tenants on one database: B's owner must not see or touch anything of A's, whatever id it sends.
const a = useShop({ name: 'Shop A', roles: [] });
let b: Tenant;

beforeAll(async () => {
  b = await a.addTenant('Shop B');
});

function call(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
  return b.as('owner').request(method, url, payload);
}

/** Tenant A's rows as stored, read as the table owner. */
async function snapshotOfA(): Promise<string> {
  const { rows } = await a.deps.db.system.query(
    `SELECT (SELECT json_agg(u ORDER BY u.id) FROM users u WHERE tenant_id = $1) AS users,
            (SELECT json_agg(l ORDER BY l.id) FROM locations l WHERE tenant_id = $1) AS locations,
            (SELECT json_agg(r ORDER BY r.id) FROM registers r WHERE tenant_id = $1) AS registers,
            (SELECT count(*) FROM audit_events WHERE tenant_id = $1) AS audit`,
    [a.tenantId],
  );
  return JSON.stringify(rows[0]);
}

describe("another tenant's ids are 404", () => {
  it('on reads', async () => {
    expectProblem(await call('GET', `/v1/users/${a.ownerId}`), 404, 'user_not_found');
    expectProblem(await call('GET', `/v1/locations/${a.locationId}`), 404, 'location_not_found');
    expectProblem(await call('GET', `/v1/registers/${a.registerId}`), 404, 'register_not_found');
  });

  it('on writes, and nothing of theirs changes', async () => {
    const before = await snapshotOfA();
    expectProblem(
      await call('PATCH', `/v1/users/${a.userIds.cashier}`, { display_name: 'Hacked' }),
      404,
      'user_not_found',
    );
    expectProblem(await call('POST', `/v1/users/${a.userIds.cashier}/deactivate`), 404, 'user_not_found');
    expectProblem(await call('POST', `/v1/users/${a.userIds.cashier}/reactivate`), 404, 'user_not_found');
    expectProblem(await call('PATCH', `/v1/locations/${a.locationId}`, { name: 'Hacked' }), 404, 'location_not_found');
    expectProblem(await call('POST', `/v1/locations/${a.locationId}/archive`), 404, 'location_not_found');
    expectProblem(await call('PATCH', `/v1/registers/${a.registerId}`, { name: 'Hacked' }), 404, 'register_not_found');
    expectProblem(await call('POST', `/v1/registers/${a.registerId}/archive`), 404, 'register_not_found');
    expect(await snapshotOfA()).toBe(before);
  });

  it("when used as a reference: a register at A's location, a user scoped to A's location", async () => {
    const before = await snapshotOfA();
    const register = await call('POST', '/v1/registers', { location_id: a.locationId, name: 'Sneaky' });
    expectProblem(register, 400, 'validation_failed');
    const user = await call('POST', '/v1/users', {
      email: 'sneaky@example.com',
      display_name: 'Sneaky',
      roles: ['cashier'],
      location_ids: [a.locationId],
    });
    expectProblem(user, 400, 'validation_failed');
    expect(await snapshotOfA()).toBe(before);
    const { rows } = await a.deps.db.system.query('SELECT 1 FROM registers WHERE name = $1', ['Sneaky']);
    expect(rows).toHaveLength(0);
  });
});

describe('lists hold only the caller’s tenant', () => {
  it('users, locations and registers', async () => {
    const aIds = new Set(
      (
        await a.deps.db.system.query(
          `SELECT id FROM users WHERE tenant_id = $1 UNION ALL SELECT id FROM locations WHERE tenant_id = $1
           UNION ALL SELECT id FROM registers WHERE tenant_id = $1`,
          [a.tenantId],
        )
      ).rows.map((r: { id: string }) => r.id),
    );
    for (const url of [
      '/v1/users?limit=200',
      '/v1/locations?limit=200&include_archived=true',
      '/v1/registers?limit=200',
    ]) {
      const res = await call('GET', url);
      expect(res.statusCode, res.body).toBe(200);
      const ids: string[] = res.json().data.map((x: { id: string }) => x.id);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.filter((id) => aIds.has(id))).toEqual([]);
    }
    const bUsers = await call('GET', '/v1/users?limit=200');
    expect(
      bUsers
        .json()
        .data.map((u: { id: string }) => u.id)
        .sort(),
    ).toEqual(Object.values(b.userIds).sort());
  });

  it('a search for the other tenant’s e-mail finds nothing', async () => {
    const res = await call('GET', `/v1/users?q=${encodeURIComponent(a.emails.owner)}`);
    expect(res.json().data).toEqual([]);
  });
});

describe('uniqueness is per tenant', () => {
  it("B may use A's location name and code and A's e-mail", async () => {
    const inA = await a.as('owner').post('/v1/locations', { name: 'Harbour', code: 'HRB' });
    expect(inA.statusCode).toBe(201);
    expect((await call('POST', '/v1/locations', { name: 'Harbour', code: 'HRB' })).statusCode).toBe(201);
    const res = await call('POST', '/v1/users', { email: a.emails.cashier, display_name: 'Twin', roles: ['cashier'] });
    expect(res.statusCode, res.body).toBe(201);
  });
});

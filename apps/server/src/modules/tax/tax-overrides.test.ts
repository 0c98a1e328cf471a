import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../platform/ids.ts';
import { expectProblem, PASSWORD, useShop, type Client, type Tenant } from '../../../test/harness.ts';
import { waitForLockWait } from '../../../test/timing.ts';

const shop = useShop({ roles: ['owner', 'admin', 'manager', 'cashier'] });
let other: Tenant;
const owner = shop.as('owner');
const admin = shop.as('admin');
const manager = shop.as('manager');
const cashier = shop.as('cashier');

beforeAll(async () => {
  other = await shop.addTenant('Other Shop', []);
});

const URL = '/v1/admin/tax_rate_overrides';

function call(as: Client, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) {
  return as.request(method, url, payload);
}

/** The action and data of an entity's audit events, oldest first. */
async function auditOf(entityId: string): Promise<{ action: string; data: unknown }[]> {
  const events = await shop.audit({ tenantId: shop.tenantId, entityId });
  return events.map(({ action, data }) => ({ action, data: data as unknown }));
}

async function overrideCount(): Promise<number> {
  const { rows } = await shop.deps.db.system.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM tax_rate_overrides WHERE tenant_id = $1',
    [shop.tenantId],
  );
  return rows[0]!.n;
}

async function newLocation(name: string): Promise<string> {
  const res = await call(owner, 'POST', '/v1/locations', { name });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function newRegister(locationId: string, name: string): Promise<string> {
  const res = await call(owner, 'POST', '/v1/registers', { location_id: locationId, name });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

describe('POST /v1/admin/tax_rate_overrides', () => {
  it('creates the tenant override (201), replaces it (200, same id) and audits before and after', async () => {
    const created = await call(admin, 'POST', URL, { rate_bps: 800 });
    expect(created.statusCode, created.body).toBe(201);
    const row = created.json();
    expect(row).toMatchObject({
      scope: 'tenant',
      location_id: null,
      register_id: null,
      rate_bps: 800,
      updated_by: shop.userIds.admin,
    });

    const replaced = await call(owner, 'POST', URL, { location_id: null, register_id: null, rate_bps: 750 });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({ id: row.id, scope: 'tenant', rate_bps: 750, updated_by: shop.ownerId });

    const same = await call(owner, 'POST', URL, { rate_bps: 750 });
    expect(same.statusCode).toBe(200);
    const scope = { scope: 'tenant', location_id: null, register_id: null };
    expect(await auditOf(row.id)).toEqual([
      { action: 'tax_rate_override.set', data: { ...scope, before_bps: null, after_bps: 800 } },
      { action: 'tax_rate_override.set', data: { ...scope, before_bps: 800, after_bps: 750 } },
    ]);
  });

  it('sets location and register overrides, one per scope', async () => {
    const loc = await newLocation('Upsert Street');
    const reg = await newRegister(loc, 'Till U');
    const l = await call(manager, 'POST', URL, { location_id: loc, rate_bps: 600 });
    expect(l.statusCode, l.body).toBe(201);
    expect(l.json()).toMatchObject({ scope: 'location', location_id: loc, register_id: null, rate_bps: 600 });
    const r = await call(manager, 'POST', URL, { register_id: reg, rate_bps: 0 });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ scope: 'register', location_id: null, register_id: reg, rate_bps: 0 });
    const again = await call(manager, 'POST', URL, { register_id: reg, rate_bps: 10_000 });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: r.json().id, rate_bps: 10_000 });
    const { rows } = await shop.deps.db.system.query(
      'SELECT count(*)::int AS n FROM tax_rate_overrides WHERE register_id = $1',
      [reg],
    );
    expect(rows[0].n).toBe(1);
  });

  it('replaces (200) when another transaction creates the same scope between our look and our insert', async () => {
    const loc = await newLocation('Race Road');
    // Another writer's insert of this scope, not yet committed: our request's insert must wait for it.
    const rival = new pg.Client({ connectionString: shop.t.database.ownerUrl });
    await rival.connect();
    try {
      await rival.query('BEGIN');
      await rival.query(
        'INSERT INTO tax_rate_overrides (id, tenant_id, location_id, rate_bps) VALUES ($1, $2, $3, 10)',
        [newId(), shop.tenantId, loc],
      );
      const pending = call(admin, 'POST', URL, { location_id: loc, rate_bps: 20 });
      // The request blocked on the rival's row.
      await waitForLockWait(shop.db);
      await rival.query('COMMIT');
      const res = await pending;
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ location_id: loc, rate_bps: 20 });
    } finally {
      await rival.end();
    }
    const { rows } = await shop.deps.db.system.query('SELECT id FROM tax_rate_overrides WHERE location_id = $1', [loc]);
    expect(rows).toHaveLength(1);
    expect(await auditOf(rows[0].id)).toEqual([
      {
        action: 'tax_rate_override.set',
        data: { scope: 'location', location_id: loc, register_id: null, before_bps: 10, after_bps: 20 },
      },
    ]);
  });

  it('refuses rates outside 0..10000, both scopes at once and unknown fields with 400, writing nothing', async () => {
    const before = await overrideCount();
    for (const body of [
      { rate_bps: 10_001 },
      { rate_bps: -1 },
      { rate_bps: 7.5 },
      { rate_bps: '800' },
      {},
      { rate_bps: 800, location_id: 'not-a-uuid' },
      { rate_bps: 800, pos_instance_id: shop.registerId },
      { rate_bps: 800, location_id: shop.locationId, register_id: shop.registerId },
    ]) {
      const res = await call(admin, 'POST', URL, body);
      expectProblem(res, 400, 'validation_failed');
    }
    const both = await call(admin, 'POST', URL, {
      rate_bps: 1,
      location_id: shop.locationId,
      register_id: shop.registerId,
    });
    expect(both.json().errors[0].field).toBe('register_id');
    expect(await overrideCount()).toBe(before);
  });

  it("answers 404 for another tenant's (or an unknown) location or register", async () => {
    const before = await overrideCount();
    expectProblem(
      await call(admin, 'POST', URL, { location_id: other.locationId, rate_bps: 5 }),
      404,
      'location_not_found',
    );
    expectProblem(
      await call(admin, 'POST', URL, { register_id: other.registerId, rate_bps: 5 }),
      404,
      'register_not_found',
    );
    const unknown = '01890000-0000-7000-8000-000000000000';
    expectProblem(await call(admin, 'POST', URL, { location_id: unknown, rate_bps: 5 }), 404, 'location_not_found');
    expectProblem(await call(admin, 'POST', URL, { register_id: unknown, rate_bps: 5 }), 404, 'register_not_found');
    expect(await overrideCount()).toBe(before);
  });

  it('refuses an archived location (409) and an archived register (404)', async () => {
    const loc = await newLocation('Archived Tax Place');
    const reg = await newRegister(loc, 'Old Till');
    expect((await call(owner, 'POST', `/v1/locations/${loc}/archive`)).statusCode).toBe(200);
    expectProblem(await call(admin, 'POST', URL, { location_id: loc, rate_bps: 5 }), 409, 'location_archived');
    expectProblem(await call(admin, 'POST', URL, { register_id: reg, rate_bps: 5 }), 404, 'register_not_found');
  });

  it('is refused to cashiers', async () => {
    expectProblem(await call(cashier, 'POST', URL, { rate_bps: 0 }), 403, 'forbidden');
    expectProblem(await call(cashier, 'GET', URL), 403, 'forbidden');
  });
});

describe('a manager with a location scope', () => {
  let scoped: Client;
  let elsewhere: string;
  let elsewhereTill: string;
  let homeTill: string;

  beforeAll(async () => {
    elsewhere = await newLocation('Not My Store');
    elsewhereTill = await newRegister(elsewhere, 'Their Till');
    homeTill = await newRegister(shop.locationId, 'Home Till');
    const email = `scoped.tax.${Date.now()}@example.com`;
    const created = await call(owner, 'POST', '/v1/users', {
      email,
      display_name: 'Scoped Sam',
      password: PASSWORD,
      roles: ['manager'],
      location_ids: [shop.locationId],
    });
    expect(created.statusCode, created.body).toBe(201);
    scoped = shop.withToken((await shop.login(email)).access_token);
  });

  it('sets overrides of their own location and its registers only (403 elsewhere and tenant-wide)', async () => {
    const before = await overrideCount();
    expectProblem(await call(scoped, 'POST', URL, { location_id: elsewhere, rate_bps: 1 }), 403, 'forbidden');
    expectProblem(await call(scoped, 'POST', URL, { register_id: elsewhereTill, rate_bps: 1 }), 403, 'forbidden');
    expectProblem(await call(scoped, 'POST', URL, { rate_bps: 1 }), 403, 'forbidden');
    expect(await overrideCount()).toBe(before);
    const home = await call(scoped, 'POST', URL, { register_id: homeTill, rate_bps: 650 });
    expect([200, 201]).toContain(home.statusCode);
  });

  it('lists the tenant override and those of their locations, not the others', async () => {
    const theirs = await call(admin, 'POST', URL, { location_id: elsewhere, rate_bps: 111 });
    expect(theirs.statusCode).toBe(201);
    const list = await call(scoped, 'GET', `${URL}?limit=200`);
    expect(list.statusCode, list.body).toBe(200);
    const scopes = list
      .json()
      .data.map((o: { scope: string; location_id: string | null; register_id: string | null }) => [
        o.scope,
        o.location_id ?? o.register_id,
      ]);
    expect(scopes).toContainEqual(['register', homeTill]);
    expect(scopes.map((s: string[]) => s[0])).toContain('tenant');
    expect(scopes).not.toContainEqual(['location', elsewhere]);
    expect((await call(admin, 'GET', `${URL}?limit=200`)).json().data.map((o: { id: string }) => o.id)).toContain(
      theirs.json().id,
    );
  });
});

describe('GET /v1/admin/tax_rate_overrides', () => {
  it('filters by location (its own and its registers) and by register, in pages', async () => {
    const loc = await newLocation('Filter Place');
    const regA = await newRegister(loc, 'Till A');
    const regB = await newRegister(loc, 'Till B');
    const ids = [];
    for (const body of [{ location_id: loc }, { register_id: regA }, { register_id: regB }]) {
      ids.push((await call(admin, 'POST', URL, { ...body, rate_bps: 300 })).json().id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(
        manager,
        'GET',
        `${URL}?location_id=${loc}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().data.map((o: { id: string }) => o.id));
      cursor = res.json().next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual(ids);
    const byRegister = await call(manager, 'GET', `${URL}?register_id=${regB}`);
    expect(byRegister.json().data.map((o: { id: string }) => o.id)).toEqual([ids[2]]);
    expectProblem(await call(manager, 'GET', `${URL}?location_id=nope`), 400, 'validation_failed');
  });

  it("never shows another tenant's overrides", async () => {
    const otherAdmin = other.as('admin');
    const theirs = (await call(otherAdmin, 'POST', URL, { rate_bps: 999 })).json();
    const mine = await call(owner, 'GET', `${URL}?limit=200`);
    expect(mine.json().data.map((o: { id: string }) => o.id)).not.toContain(theirs.id);
    expect(mine.json().data.every((o: { rate_bps: number }) => o.rate_bps !== 999)).toBe(true);
  });
});

describe('DELETE /v1/admin/tax_rate_overrides/:id', () => {
  it('removes an override and audits it; managers and cashiers may not', async () => {
    const loc = await newLocation('Delete Lane');
    const row = (await call(admin, 'POST', URL, { location_id: loc, rate_bps: 420 })).json();
    expectProblem(await call(manager, 'DELETE', `${URL}/${row.id}`), 403, 'forbidden');
    expectProblem(await call(cashier, 'DELETE', `${URL}/${row.id}`), 403, 'forbidden');
    const res = await call(admin, 'DELETE', `${URL}/${row.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect((await auditOf(row.id)).at(-1)).toEqual({
      action: 'tax_rate_override.deleted',
      data: { scope: 'location', location_id: loc, register_id: null, before_bps: 420 },
    });
    expectProblem(await call(admin, 'DELETE', `${URL}/${row.id}`), 404, 'tax_rate_override_not_found');
  });

  it("answers 404 for another tenant's override and 400 for a malformed id", async () => {
    const otherOwner = other.as('owner');
    const theirs = (await call(otherOwner, 'POST', URL, { location_id: other.locationId, rate_bps: 5 })).json();
    expectProblem(await call(owner, 'DELETE', `${URL}/${theirs.id}`), 404, 'tax_rate_override_not_found');
    const { rows } = await shop.deps.db.system.query('SELECT 1 FROM tax_rate_overrides WHERE id = $1', [theirs.id]);
    expect(rows).toHaveLength(1);
    expectProblem(await call(owner, 'DELETE', `${URL}/123`), 400, 'validation_failed');
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, PASSWORD, useShop, type Client } from '../../../test/harness.ts';

const shop = useShop({ roles: ['owner', 'manager'] });
const owner = shop.as('owner');
const manager = shop.as('manager');
/** A second location, and a manager whose scope is the main location only. */
let north: { id: string };
let scopedManager: Client;

beforeAll(async () => {
  north = (await call(owner, 'POST', '/v1/locations', { name: 'North' })).json();
  const email = `scoped.manager.${Date.now()}@example.com`;
  const created = await call(owner, 'POST', '/v1/users', {
    email,
    display_name: 'Scoped Manager',
    password: PASSWORD,
    roles: ['manager'],
    location_ids: [shop.locationId],
  });
  expect(created.statusCode, created.body).toBe(201);
  scopedManager = shop.withToken((await shop.login(email)).access_token);
});

function call(as: Client, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
  return as.request(method, url, payload);
}

async function countRegisters(): Promise<number> {
  const { rows } = await shop.deps.db.system.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM registers WHERE tenant_id = $1',
    [shop.tenantId],
  );
  return rows[0]!.n;
}

describe('POST /v1/registers', () => {
  it('lets a manager add a till and audits it', async () => {
    const res = await call(manager, 'POST', '/v1/registers', { location_id: north.id, name: 'Till 1' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ location_id: north.id, name: 'Till 1', archived_at: null });
    expect(res.headers.location).toBe(`/v1/registers/${res.json().id}`);
    expect(await shop.audit({ entityId: res.json().id })).toMatchAudit([
      { action: 'register.created', data: { location_id: north.id, name: 'Till 1' } },
    ]);
  });

  it('limits a manager with a location scope to their locations (403 forbidden elsewhere)', async () => {
    const own = await call(scopedManager, 'POST', '/v1/registers', { location_id: shop.locationId, name: 'Scoped' });
    expect(own.statusCode, own.body).toBe(201);
    const before = await countRegisters();
    const elsewhere = await call(scopedManager, 'POST', '/v1/registers', { location_id: north.id, name: 'Nope' });
    expectProblem(elsewhere, 403, 'forbidden');
    expect(await countRegisters()).toBe(before);
  });

  it('refuses cashiers', async () => {
    const cashier = shop.as('cashier');
    const res = await call(cashier, 'POST', '/v1/registers', { location_id: shop.locationId, name: 'Mine' });
    expectProblem(res, 403, 'forbidden');
  });

  it('names the same till name twice in one location 409 name_taken, but allows it in another', async () => {
    const before = await countRegisters();
    const dup = await call(owner, 'POST', '/v1/registers', { location_id: shop.locationId, name: 'till 1' });
    expectProblem(dup, 409, 'name_taken');
    expect(await countRegisters()).toBe(before);
  });

  it('refuses a location that does not exist (400 naming location_id) or is archived (409)', async () => {
    const before = await countRegisters();
    const missing = await call(owner, 'POST', '/v1/registers', {
      location_id: '01890000-0000-7000-8000-000000000000',
      name: 'Ghost',
    });
    expectProblem(missing, 400, 'validation_failed');
    expect(missing.json().errors[0].field).toBe('location_id');
    const gone = (await call(owner, 'POST', '/v1/locations', { name: 'Gone' })).json();
    await call(owner, 'POST', `/v1/locations/${gone.id}/archive`);
    const archived = await call(owner, 'POST', '/v1/registers', { location_id: gone.id, name: 'Late' });
    expectProblem(archived, 409, 'location_archived');
    expect(await countRegisters()).toBe(before);
  });
});

describe('GET /v1/registers', () => {
  it('filters by location and by the reader’s scope', async () => {
    const byLocation = await call(owner, 'GET', `/v1/registers?location_id=${north.id}`);
    expect(byLocation.statusCode).toBe(200);
    expect(byLocation.json().data.every((r: { location_id: string }) => r.location_id === north.id)).toBe(true);
    expect(byLocation.json().data.length).toBeGreaterThan(0);

    const scoped = await call(scopedManager, 'GET', '/v1/registers?limit=200');
    expect(scoped.json().data.length).toBeGreaterThan(0);
    expect(scoped.json().data.every((r: { location_id: string }) => r.location_id === shop.locationId)).toBe(true);
    const northTill = byLocation.json().data[0].id;
    expectProblem(await call(scopedManager, 'GET', `/v1/registers/${northTill}`), 404, 'register_not_found');
    expect((await call(scopedManager, 'GET', `/v1/registers?location_id=${north.id}`)).json().data).toEqual([]);
  });

  it('lets a cashier read a register', async () => {
    const cashier = shop.as('cashier');
    const res = await call(cashier, 'GET', `/v1/registers/${shop.registerId}`);
    expect(res.json()).toMatchObject({ id: shop.registerId, location_id: shop.locationId, name: 'Till 1' });
  });

  it('refuses a malformed location_id filter with 400', async () => {
    expectProblem(await call(owner, 'GET', '/v1/registers?location_id=abc'), 400, 'validation_failed');
  });
});

describe('PATCH and archive', () => {
  it('renames a register, audited with before and after', async () => {
    const till = (await call(owner, 'POST', '/v1/registers', { location_id: north.id, name: 'Front' })).json();
    const res = await call(manager, 'PATCH', `/v1/registers/${till.id}`, { name: 'Front Desk' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().name).toBe('Front Desk');
    expect(await shop.audit({ entityId: till.id })).toMatchAudit([
      { action: 'register.created' },
      { action: 'register.updated', data: { before: { name: 'Front' }, after: { name: 'Front Desk' } } },
    ]);
    expectProblem(
      await call(scopedManager, 'PATCH', `/v1/registers/${till.id}`, { name: 'X' }),
      404,
      'register_not_found',
    );
  });

  it('archives a register: PIN login there stops working and it leaves the list', async () => {
    const till = (await call(owner, 'POST', '/v1/registers', { location_id: shop.locationId, name: 'Back' })).json();
    const ok = await shop.anon.post('/v1/auth/pin-login', { register_id: till.id, pin: shop.pins.cashier });
    expect(ok.statusCode).toBe(200);
    const res = await call(manager, 'POST', `/v1/registers/${till.id}/archive`);
    expect(res.statusCode).toBe(200);
    expect(res.json().archived_at).not.toBeNull();
    const refused = await shop.anon.post('/v1/auth/pin-login', { register_id: till.id, pin: shop.pins.cashier });
    expectProblem(refused, 404, 'register_not_found');
    const list = await call(owner, 'GET', '/v1/registers?limit=200');
    expect(list.json().data.map((r: { id: string }) => r.id)).not.toContain(till.id);
    const withArchived = await call(owner, 'GET', '/v1/registers?limit=200&include_archived=true');
    expect(withArchived.json().data.map((r: { id: string }) => r.id)).toContain(till.id);
    expect(await shop.audit({ entityId: till.id })).toMatchAudit(['register.created', 'register.archived']);
  });
});

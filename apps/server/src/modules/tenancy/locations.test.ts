import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { expectProblem, PASSWORD, useShop, type Client } from '../../../test/harness.ts';

const shop = useShop();
const owner = shop.as('owner');

function call(as: Client, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
  return as.request(method, url, payload);
}

/** The action and data of an entity's audit events, oldest first. */
async function auditOf(entityId: string): Promise<{ action: string; data: unknown }[]> {
  const events = await shop.audit({ tenantId: shop.tenantId, entityId });
  return events.map(({ action, data }) => ({ action, data: data as unknown }));
}

async function countLocations(): Promise<number> {
  const { rows } = await shop.deps.db.system.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM locations WHERE tenant_id = $1',
    [shop.tenantId],
  );
  return rows[0]!.n;
}

describe('POST /v1/locations', () => {
  it("creates a location in the tenant's time zone and audits it", async () => {
    const res = await call(owner, 'POST', '/v1/locations', { name: ' Harbour Street ', code: 'HRB-1' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      name: 'Harbour Street',
      code: 'HRB-1',
      timezone: 'UTC',
      address_lines: [],
      archived_at: null,
    });
    expect(res.headers.location).toBe(`/v1/locations/${body.id}`);
    expect(await auditOf(body.id)).toEqual([
      { action: 'location.created', data: { name: 'Harbour Street', code: 'HRB-1', timezone: 'UTC' } },
    ]);
  });

  it('stores the canonical name of a time zone and refuses an unknown one', async () => {
    const res = await call(owner, 'POST', '/v1/locations', { name: 'Paris', timezone: 'europe/paris' });
    expect(res.json().timezone).toBe('Europe/Paris');
    const before = await countLocations();
    const bad = await call(owner, 'POST', '/v1/locations', { name: 'Atlantis', timezone: 'Ocean/Atlantis' });
    expectProblem(bad, 400, 'validation_failed');
    expect(bad.json().errors[0].field).toBe('timezone');
    expect(await countLocations()).toBe(before);
  });

  it('refuses a name taken in another case (409 name_taken) and a taken code (409 code_taken)', async () => {
    await call(owner, 'POST', '/v1/locations', { name: 'Mill Lane', code: 'MILL' });
    const before = await countLocations();
    expectProblem(await call(owner, 'POST', '/v1/locations', { name: 'MILL LANE' }), 409, 'name_taken');
    expectProblem(await call(owner, 'POST', '/v1/locations', { name: 'Other', code: 'MILL' }), 409, 'code_taken');
    expect(await countLocations()).toBe(before);
  });

  it('refuses a code with spaces and an unknown field with 400', async () => {
    expectProblem(
      await call(owner, 'POST', '/v1/locations', { name: 'A', code: 'has space' }),
      400,
      'validation_failed',
    );
    expectProblem(await call(owner, 'POST', '/v1/locations', { name: 'A', city: 'B' }), 400, 'validation_failed');
  });

  it('is for owners and admins only', async () => {
    for (const role of ['manager', 'cashier'] as const) {
      const token = shop.as(role);
      expectProblem(await call(token, 'POST', '/v1/locations', { name: `By ${role}` }), 403, 'forbidden');
    }
    const admin = shop.as('admin');
    expect((await call(admin, 'POST', '/v1/locations', { name: 'By admin' })).statusCode).toBe(201);
  });
});

describe('GET /v1/locations', () => {
  it('lets every tenant role read, in pages', async () => {
    const cashier = shop.as('cashier');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: LightMyRequestResponse = await call(
        cashier,
        'GET',
        `/v1/locations?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().data.map((l: { id: string }) => l.id));
      cursor = res.json().next_cursor;
    } while (cursor !== null);
    expect(seen).toContain(shop.locationId);
    expect(seen.length).toBe(await countLocations());
    expect((await call(cashier, 'GET', `/v1/locations/${shop.locationId}`)).json().name).toBe('Main store');
    expectProblem(
      await call(cashier, 'GET', '/v1/locations/01890000-0000-7000-8000-000000000000'),
      404,
      'location_not_found',
    );
  });

  it('shows a user with a location scope only their locations', async () => {
    const other = (await call(owner, 'POST', '/v1/locations', { name: 'Scoped Elsewhere' })).json();
    const email = `scoped.${Date.now()}@example.com`;
    const created = await call(owner, 'POST', '/v1/users', {
      email,
      display_name: 'Scoped Sue',
      password: PASSWORD,
      roles: ['manager'],
      location_ids: [shop.locationId],
    });
    expect(created.statusCode, created.body).toBe(201);
    const token = shop.withToken((await shop.login(email)).access_token);
    const list = await call(token, 'GET', '/v1/locations?limit=200');
    expect(list.json().data.map((l: { id: string }) => l.id)).toEqual([shop.locationId]);
    expectProblem(await call(token, 'GET', `/v1/locations/${other.id}`), 404, 'location_not_found');
  });
});

describe('PATCH /v1/locations/:id', () => {
  it('changes only what differs and audits before and after', async () => {
    const loc = (await call(owner, 'POST', '/v1/locations', { name: 'Old Name', code: 'OLD' })).json();
    const res = await call(owner, 'PATCH', `/v1/locations/${loc.id}`, {
      name: 'New Name',
      code: null,
      timezone: 'UTC',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'New Name', code: null, timezone: 'UTC' });
    const audit = await auditOf(loc.id);
    expect(audit[1]).toEqual({
      action: 'location.updated',
      data: { before: { name: 'Old Name', code: 'OLD' }, after: { name: 'New Name', code: null } },
    });
    const same = await call(owner, 'PATCH', `/v1/locations/${loc.id}`, { name: 'New Name' });
    expect(same.statusCode).toBe(200);
    expect(await auditOf(loc.id)).toHaveLength(2);
  });

  it('sets, lists and clears the address: trimmed, blank lines dropped, audited', async () => {
    const created = await call(owner, 'POST', '/v1/locations', {
      name: 'Dock Road',
      address_lines: [' 1 Dock Road ', '', 'Harbourtown'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const loc = created.json();
    expect(loc.address_lines).toEqual(['1 Dock Road', 'Harbourtown']);
    expect((await auditOf(loc.id))[0]?.data).toMatchObject({ address_lines: ['1 Dock Road', 'Harbourtown'] });

    const res = await call(owner, 'PATCH', `/v1/locations/${loc.id}`, {
      address_lines: ['2 Dock Road', 'Harbourtown', 'HT1 2AB'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().address_lines).toEqual(['2 Dock Road', 'Harbourtown', 'HT1 2AB']);
    expect((await auditOf(loc.id)).at(-1)).toEqual({
      action: 'location.updated',
      data: {
        before: { address_lines: ['1 Dock Road', 'Harbourtown'] },
        after: { address_lines: ['2 Dock Road', 'Harbourtown', 'HT1 2AB'] },
      },
    });
    const audits = (await auditOf(loc.id)).length;
    await call(owner, 'PATCH', `/v1/locations/${loc.id}`, {
      address_lines: ['2 Dock Road ', 'Harbourtown', 'HT1 2AB'],
    });
    expect(await auditOf(loc.id)).toHaveLength(audits);

    const listed = (await call(owner, 'GET', '/v1/locations?limit=200')).json().data;
    expect(listed.find((l: { id: string }) => l.id === loc.id).address_lines).toEqual([
      '2 Dock Road',
      'Harbourtown',
      'HT1 2AB',
    ]);
    const cleared = await call(owner, 'PATCH', `/v1/locations/${loc.id}`, { address_lines: [] });
    expect(cleared.json().address_lines).toEqual([]);
  });

  it('refuses too many lines, too long a line, a non-string and a control character, naming the field', async () => {
    const loc = (await call(owner, 'POST', '/v1/locations', { name: 'Bad Address', address_lines: ['Kept'] })).json();
    const locations = await countLocations();
    const audits = (await auditOf(loc.id)).length;
    const cases: [unknown, string][] = [
      [['1', '2', '3', '4', '5'], 'address_lines'],
      [['ok', 'x'.repeat(43)], 'address_lines[1]'],
      [[7], 'address_lines[0]'],
      ['1 Main Street', 'address_lines'],
      [['Main\x1bp'], 'address_lines[0]'],
    ];
    for (const [lines, field] of cases) {
      for (const res of [
        await call(owner, 'PATCH', `/v1/locations/${loc.id}`, { address_lines: lines }),
        await call(owner, 'POST', '/v1/locations', { name: 'Never Made', address_lines: lines }),
      ]) {
        expectProblem(res, 400, 'validation_failed');
        expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    }
    expect((await call(owner, 'GET', `/v1/locations/${loc.id}`)).json()).toEqual(loc);
    expect(await countLocations()).toBe(locations);
    expect(await auditOf(loc.id)).toHaveLength(audits);
  });

  it('refuses a taken name with 409 and leaves the row as it was', async () => {
    const loc = (await call(owner, 'POST', '/v1/locations', { name: 'Keeps Its Name' })).json();
    expectProblem(await call(owner, 'PATCH', `/v1/locations/${loc.id}`, { name: 'main store' }), 409, 'name_taken');
    expect((await call(owner, 'GET', `/v1/locations/${loc.id}`)).json()).toEqual(loc);
  });
});

describe('POST /v1/locations/:id/archive', () => {
  it('archives the location and its active registers together, each audited', async () => {
    const loc = (await call(owner, 'POST', '/v1/locations', { name: 'Closing Down' })).json();
    const tills: { id: string }[] = [];
    for (const name of ['Till A', 'Till B']) {
      tills.push((await call(owner, 'POST', '/v1/registers', { location_id: loc.id, name })).json());
    }
    const res = await call(owner, 'POST', `/v1/locations/${loc.id}/archive`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().archived_at).not.toBeNull();
    expect(res.json().archived_registers.map((r: { id: string }) => r.id)).toEqual(tills.map((r) => r.id));

    for (const till of tills) {
      expect((await call(owner, 'GET', `/v1/registers/${till.id}`)).json().archived_at).not.toBeNull();
      expect((await auditOf(till.id)).map((a) => a.action)).toEqual(['register.created', 'register.archived']);
      const pin = await shop.anon.post('/v1/auth/pin-login', { register_id: till.id, pin: shop.pins.cashier });
      expectProblem(pin, 404, 'register_not_found');
    }
    expect((await auditOf(loc.id)).at(-1)).toEqual({
      action: 'location.archived',
      data: { name: 'Closing Down', archived_register_ids: tills.map((r) => r.id) },
    });

    const active = await call(owner, 'GET', '/v1/locations?limit=200');
    expect(active.json().data.map((l: { id: string }) => l.id)).not.toContain(loc.id);
    const all = await call(owner, 'GET', '/v1/locations?limit=200&include_archived=true');
    expect(all.json().data.map((l: { id: string }) => l.id)).toContain(loc.id);

    const again = await call(owner, 'POST', `/v1/locations/${loc.id}/archive`);
    expect(again.json()).toMatchObject({ archived_at: res.json().archived_at, archived_registers: [] });
    expect(await auditOf(loc.id)).toHaveLength(2);
  });

  it('is refused to managers', async () => {
    const manager = shop.as('manager');
    expectProblem(await call(manager, 'POST', `/v1/locations/${shop.locationId}/archive`), 403, 'forbidden');
  });
});

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, expectProblem, PASSWORD, useShop, type Tenant } from '../../../test/harness.ts';

// Opening stock per location when a product is created (issue 13, defect 5; docs/catalog.md "Opening stock").
const shop = useShop({ roles: ['owner', 'manager'] });
const owner = shop.as('owner');
let other: Tenant;
let second: { id: string; name: string };

beforeAll(async () => {
  other = await shop.addTenant('Other Shop');
  second = bodyOf<{ id: string; name: string }>(
    await owner.post('/v1/locations', { name: 'Harbour Street', code: `HRB-${randomUUID().slice(0, 4)}` }),
    201,
  );
});

const sku = () => `OPEN-${randomUUID().slice(0, 8)}`;

function shirt(variants: object[]) {
  return { name: 'Linen shirt', variants };
}

async function onHand(variantId: string, locationId: string): Promise<number | undefined> {
  const { rows } = await shop.db.query<{ on_hand: number }>(
    'SELECT on_hand FROM stock_levels WHERE variant_id = $1 AND location_id = $2',
    [variantId, locationId],
  );
  return rows[0]?.on_hand;
}

async function movementCount(): Promise<number> {
  const { rows } = await shop.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM stock_movements WHERE tenant_id = $1',
    [shop.tenantId],
  );
  return rows[0]?.n ?? 0;
}

describe('POST /v1/products with opening stock', () => {
  it('receives each variant’s stock per location in the same transaction, audited, and says the policy', async () => {
    const [s, m] = [sku(), sku()];
    const res = await owner.post(
      '/v1/products',
      shirt([
        {
          sku: s,
          name: 'S',
          price_cents: 3000,
          opening_stock: [
            { location_id: shop.locationId, quantity: 12 },
            { location_id: second.id, quantity: 3 },
          ],
        },
        { sku: m, name: 'M', price_cents: 3000 },
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    const small = body.variants.find((v: { sku: string }) => v.sku === s);
    const medium = body.variants.find((v: { sku: string }) => v.sku === m);
    expect(body.stock_policy).toBe('block');
    expect(body.opening_stock).toHaveLength(2);
    expect(body.opening_stock).toEqual(
      expect.arrayContaining([
        { location_id: shop.locationId, location_name: expect.any(String), variant_id: small.id, sku: s, on_hand: 12 },
        { location_id: second.id, location_name: 'Harbour Street', variant_id: small.id, sku: s, on_hand: 3 },
      ]),
    );
    expect(await onHand(small.id, shop.locationId)).toBe(12);
    expect(await onHand(small.id, second.id)).toBe(3);
    expect(await onHand(medium.id, shop.locationId)).toBeUndefined();
    const { rows } = await shop.db.query<{ reason: string; delta: number; reference_type: string }>(
      'SELECT reason, delta, reference_type FROM stock_movements WHERE variant_id = $1 ORDER BY delta',
      [small.id],
    );
    expect(rows).toEqual([
      { reason: 'initial', delta: 3, reference_type: 'stock_adjustment' },
      { reason: 'initial', delta: 12, reference_type: 'stock_adjustment' },
    ]);
    const audited = await shop.audit({ action: 'inventory.adjusted' });
    const mine = audited.filter((e) => (e.data as { product_id?: string }).product_id === body.id);
    expect(mine).toHaveLength(2);
    expect(mine.map((e): unknown => e.data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          location_id: second.id,
          lines: [expect.objectContaining({ sku: s, delta: 3, reason: 'initial', note: 'Opening stock' })],
        }),
      ]),
    );
  });

  it('without opening stock: nothing received, and the answer says the shop blocks sales beyond stock', async () => {
    const res = await owner.post('/v1/products', shirt([{ sku: sku(), price_cents: 3000 }]));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ opening_stock: [], stock_policy: 'block' });
    await shop.db.query(`UPDATE tenants SET stock_policy = 'allow_negative' WHERE id = $1`, [shop.tenantId]);
    try {
      const again = await owner.post('/v1/products', shirt([{ sku: sku(), price_cents: 3000 }]));
      expect(again.json().stock_policy).toBe('allow_negative');
    } finally {
      await shop.db.query(`UPDATE tenants SET stock_policy = 'block' WHERE id = $1`, [shop.tenantId]);
    }
  });

  it('a bad location writes nothing at all: unknown, another tenant’s, archived, twice, bad quantities', async () => {
    const before = await movementCount();
    const make = (opening: object[]) =>
      owner.post('/v1/products', shirt([{ sku: sku(), price_cents: 3000, opening_stock: opening }]));
    expectProblem(await make([{ location_id: randomUUID(), quantity: 1 }]), 404, 'location_not_found');
    expectProblem(await make([{ location_id: other.locationId, quantity: 1 }]), 404, 'location_not_found');
    const twice = await make([
      { location_id: shop.locationId, quantity: 1 },
      { location_id: shop.locationId, quantity: 2 },
    ]);
    expectProblem(twice, 400, 'validation_failed');
    expect(twice.json().errors).toEqual([
      { field: 'variants[0].opening_stock[1].location_id', message: 'names a location a second time' },
    ]);
    for (const quantity of [0, -1, 1.5, 1_000_001, '3']) {
      expectProblem(await make([{ location_id: shop.locationId, quantity }]), 400, 'validation_failed');
    }
    expectProblem(await make([{ location_id: 'x', quantity: 1 }]), 400, 'validation_failed');
    expectProblem(await make([{ location_id: shop.locationId, quantity: 1, extra: 1 }]), 400, 'validation_failed');
    const archived = bodyOf<{ id: string }>(
      await owner.post('/v1/locations', { name: 'Closed shop', code: `CLS-${randomUUID().slice(0, 4)}` }),
      201,
    );
    bodyOf(await owner.post(`/v1/locations/${archived.id}/archive`), 200);
    expectProblem(await make([{ location_id: archived.id, quantity: 1 }]), 409, 'location_archived');
    expect(await movementCount()).toBe(before);
  });

  it('a manager limited to one location stocks only there', async () => {
    const email = `scoped.${randomUUID()}@example.com`;
    const created = await owner.post('/v1/users', {
      email,
      display_name: 'Scoped Manager',
      password: PASSWORD,
      roles: ['manager'],
      location_ids: [second.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    const scoped = shop.withToken((await shop.login(email)).access_token);
    const make = (locationId: string) =>
      scoped.post(
        '/v1/products',
        shirt([{ sku: sku(), price_cents: 3000, opening_stock: [{ location_id: locationId, quantity: 1 }] }]),
      );
    expectProblem(await make(shop.locationId), 403, 'forbidden');
    const ok = await make(second.id);
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

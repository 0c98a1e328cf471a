import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, useShop, type Client } from '../../../test/harness.ts';
import { newId } from '../../platform/ids.ts';
import { insertLocation, insertVariants, lowStockEvents, type TestVariant } from './inventory.fixtures.ts';

const shop = useShop({ roles: ['owner', 'manager', 'cashier'] });
const owner = shop.as('owner');
const manager = shop.as('manager');
const cashier = shop.as('cashier');
let milk: TestVariant[];
let beans: TestVariant[];
let second: string;

beforeAll(async () => {
  milk = await insertVariants(shop.db, shop.tenantId, 2, 'Oat Milk', 'MILK');
  beans = await insertVariants(shop.db, shop.tenantId, 2, 'Coffee Beans 100%', 'BEAN');
  second = await insertLocation(shop.db, shop.tenantId, 'Second Store');
  const lines = [...milk, ...beans].map((v, i) => ({ sku: v.sku, delta: 10 + i, reason: 'initial' }));
  for (const location_id of [shop.locationId, second]) {
    const res = await owner.post('/v1/inventory/adjustments', { location_id, lines });
    expect(res.statusCode, res.body).toBe(201);
  }
});

/** Every page of a list, following next_cursor. */
async function allPages(as: Client, url: string): Promise<{ pages: number; rows: Record<string, unknown>[] }> {
  const rows: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await as.get(cursor === null ? url : `${url}${sep}cursor=${cursor}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    rows.push(...body.data);
    cursor = body.next_cursor;
    pages++;
  } while (cursor !== null);
  return { pages, rows };
}

describe('GET /v1/inventory', () => {
  it('lists levels with product names to any tenant role, by location and SKU', async () => {
    const res = await cashier.get(`/v1/inventory?location_id=${shop.locationId}`);
    expect(res.statusCode, res.body).toBe(200);
    const { data, next_cursor } = res.json();
    expect(next_cursor).toBeNull();
    expect(data.map((r: { sku: string }) => r.sku)).toEqual([...beans, ...milk].map((v) => v.sku));
    expect(data[2]).toMatchObject({
      variant_id: milk[0]!.id,
      location_id: shop.locationId,
      product_id: milk[0]!.productId,
      product_name: 'Oat Milk',
      variant_name: 'Variant 1',
      on_hand: 10,
      low_stock_threshold: null,
      below_threshold: false,
    });
  });

  it('pages through every location in scope', async () => {
    const { pages, rows } = await allPages(owner, '/v1/inventory?limit=3');
    expect(pages).toBe(3);
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => `${String(r.location_id)}/${String(r.variant_id)}`)).size).toBe(8);
  });

  it('finds by part of a SKU or product name, case-insensitively, with % taken literally', async () => {
    const bySku = await owner.get(`/v1/inventory?location_id=${second}&q=${milk[1]!.sku.toLowerCase()}`);
    expect(bySku.json().data.map((r: { sku: string }) => r.sku)).toEqual([milk[1]!.sku]);
    const byName = await owner.get(`/v1/inventory?location_id=${second}&q=${encodeURIComponent('100%')}`);
    expect(byName.json().data.map((r: { product_name: string }) => r.product_name)).toEqual([
      'Coffee Beans 100%',
      'Coffee Beans 100%',
    ]);
    const none = await owner.get(`/v1/inventory?q=${encodeURIComponent('1_0')}`);
    expect(none.json().data).toEqual([]);
  });

  it('refuses an unknown location (404) and a forged cursor (400)', async () => {
    expectProblem(await owner.get(`/v1/inventory?location_id=${newId()}`), 404, 'location_not_found');
    expectProblem(await owner.get('/v1/inventory?cursor=bm9wZQ'), 400, 'invalid_cursor');
  });
});

describe('GET /v1/inventory/movements', () => {
  it('shows the ledger newest first, page by page, to managers', async () => {
    const { pages, rows } = await allPages(manager, '/v1/inventory/movements?limit=3');
    expect(rows).toHaveLength(8);
    expect(pages).toBe(3);
    const ids = rows.map((r) => String(r.id));
    expect(ids).toEqual([...ids].sort().reverse());
    expect(rows[0]).toMatchObject({
      location_id: second,
      variant_id: beans[1]!.id,
      sku: beans[1]!.sku,
      delta: 13,
      reason: 'initial',
      reference_type: 'stock_adjustment',
      actor_id: shop.ownerId,
    });
  });

  it('filters by location and variant, and is closed to cashiers', async () => {
    const res = await manager.get(`/v1/inventory/movements?location_id=${second}&variant_id=${milk[0]!.id}`);
    expect(res.json().data.map((m: { delta: number }) => m.delta)).toEqual([10]);
    expectProblem(await cashier.get('/v1/inventory/movements'), 403, 'forbidden');
  });
});

describe('PUT /v1/inventory/thresholds', () => {
  const put = (as: Client, body: object) => as.put('/v1/inventory/thresholds', body);

  it('sets a threshold, alerts at once when stock is already at or below it, and audits the change', async () => {
    const v = milk[0]!;
    const res = await put(manager, { location_id: shop.locationId, sku: v.sku, low_stock_threshold: 10 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      variant_id: v.id,
      location_id: shop.locationId,
      sku: v.sku,
      on_hand: 10,
      low_stock_threshold: 10,
      below_threshold: true,
    });
    // The same threshold again changes nothing: no second alert, no second audit event.
    expect(
      (await put(manager, { location_id: shop.locationId, variant_id: v.id, low_stock_threshold: 10 })).statusCode,
    ).toBe(200);
    expect(await lowStockEvents(shop.db, v.id)).toEqual([
      { variant_id: v.id, location_id: shop.locationId, sku: v.sku, on_hand: 10, threshold: 10 },
    ]);
    // Lowered below the stock: re-armed. Removed: no flag.
    const lower = await put(manager, { location_id: shop.locationId, sku: v.sku, low_stock_threshold: 4 });
    expect(lower.json()).toMatchObject({ low_stock_threshold: 4, below_threshold: false });
    const removed = await put(owner, { location_id: shop.locationId, sku: v.sku, low_stock_threshold: null });
    expect(removed.json()).toMatchObject({ low_stock_threshold: null, below_threshold: false });
    expect(await shop.audit({ entityId: v.id, action: 'inventory.threshold_set' })).toMatchAudit([
      { data: { location_id: shop.locationId, variant_id: v.id, sku: v.sku, before: null, after: 10 } },
      { data: { location_id: shop.locationId, variant_id: v.id, sku: v.sku, before: 10, after: 4 } },
      { data: { location_id: shop.locationId, variant_id: v.id, sku: v.sku, before: 4, after: null } },
    ]);
    const listed = await owner.get(`/v1/inventory?location_id=${shop.locationId}&below_threshold=true`);
    expect(listed.json().data).toEqual([]);
  });

  it('holds a threshold for a variant never stocked at the location (its stock is 0, so it is low)', async () => {
    const [fresh] = (await insertVariants(shop.db, shop.tenantId, 1, 'New Arrival', 'NEW')) as [TestVariant];
    const res = await put(manager, { location_id: second, sku: fresh.sku, low_stock_threshold: 2 });
    expect(res.json()).toMatchObject({ on_hand: 0, low_stock_threshold: 2, below_threshold: true });
    const low = await owner.get(`/v1/inventory?location_id=${second}&below_threshold=true`);
    expect(low.json().data.map((r: { sku: string }) => r.sku)).toEqual([fresh.sku]);
    expect(await lowStockEvents(shop.db, fresh.id)).toHaveLength(1);
  });

  it('refuses cashiers, bad bodies, unknown SKUs and unknown locations', async () => {
    const v = milk[1]!;
    expectProblem(await put(cashier, { location_id: second, sku: v.sku, low_stock_threshold: 1 }), 403, 'forbidden');
    for (const bad of [
      { location_id: second, sku: v.sku, low_stock_threshold: -1 },
      { location_id: second, sku: v.sku },
      { location_id: second, sku: v.sku, variant_id: v.id, low_stock_threshold: 1 },
      { location_id: second, low_stock_threshold: 1 },
    ]) {
      expectProblem(await put(owner, bad), 400, 'validation_failed');
    }
    const unknown = await put(owner, { location_id: second, sku: 'NOPE', low_stock_threshold: 1 });
    expectProblem(unknown, 422, 'unknown_sku');
    expect(unknown.json().errors[0].field).toBe('sku');
    expectProblem(
      await put(owner, { location_id: newId(), sku: v.sku, low_stock_threshold: 1 }),
      404,
      'location_not_found',
    );
    expect(await shop.audit({ entityId: v.id, action: 'inventory.threshold_set' })).toMatchAudit([]);
  });
});

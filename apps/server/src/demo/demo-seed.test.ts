import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { bearer, createTestApp, createTestTenant, login, type TestApp, type TestTenant } from '../../test/harness.ts';
import { systemContext } from '../platform/context.ts';
import { demoCatalog } from './demo-catalog.ts';
import { priceBookOf, ringUp } from './demo-sales.ts';
import { seedDemoShop, type SeededShop } from './demo-seed.ts';

let t: TestApp;
let shop: TestTenant;
let seeded: SeededShop;
let owner: pg.Client;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestTenant(t, 'Corner Shop');
  seeded = await seedDemoShop(t.deps, shop.tenantId, { days: 1, ordersPerDay: [4, 6], taxRateBps: 800 });
  owner = new pg.Client({ connectionString: t.database.ownerUrl });
  await owner.connect();
});
afterAll(async () => {
  await owner.end();
  await t.close();
});

async function rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
  return (await owner.query<R>(sql, [shop.tenantId, ...params])).rows;
}

describe('seedDemoShop', () => {
  it('gives the tenant 2 locations with 2 registers each, keeping the ones it had', async () => {
    expect(seeded.locations).toHaveLength(2);
    expect(seeded.locations[0]?.id).toBe(shop.locationId);
    expect(seeded.locations[0]?.registers[0]?.id).toBe(shop.registerId);
    expect(seeded.locations[1]?.name).toBe('Corner Shop — Station Road');
    expect(seeded.locations.map((l) => l.registers.map((r) => r.name))).toEqual([
      ['Till 1', 'Till 2'],
      ['Till 1', 'Till 2'],
    ]);
    const token = (await login(t, shop.emails.owner)).access_token;
    const res = await t.app.inject({ method: 'GET', url: '/v1/registers', headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toHaveLength(4);
    // Each store prints an address on its receipts, the street from its name.
    const locations = await t.app.inject({ method: 'GET', url: '/v1/locations', headers: bearer(token) });
    const addresses = new Map(
      (locations.json().data as { name: string; address_lines: string[] }[]).map((l) => [l.name, l.address_lines]),
    );
    expect(addresses.get('Corner Shop — Station Road')).toEqual(['24 Station Road', 'Springfield']);
    for (const l of seeded.locations) expect(addresses.get(l.name)?.length, l.name).toBe(2);
  });

  it('imports the generated catalog: products, variants, barcodes, categories', async () => {
    const catalog = demoCatalog();
    const [counts] = await rows<{ products: number; variants: number; barcodes: number; categories: number }>(
      `SELECT (SELECT count(*)::int FROM products WHERE tenant_id = $1) AS products,
              (SELECT count(*)::int FROM product_variants WHERE tenant_id = $1) AS variants,
              (SELECT count(*)::int FROM variant_barcodes WHERE tenant_id = $1) AS barcodes,
              (SELECT count(*)::int FROM categories WHERE tenant_id = $1) AS categories`,
    );
    expect(counts).toEqual({
      products: catalog.length,
      variants: seeded.variants,
      barcodes: catalog.flatMap((p) => p.variants).filter((v) => v.barcode !== null).length,
      categories: 10,
    });
    const token = (await login(t, shop.emails.cashier)).access_token;
    const res = await t.app.inject({ method: 'GET', url: '/v1/products?limit=5', headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toHaveLength(5);
  });

  it('stocks both locations, with low-stock thresholds, and on_hand equals the sum of the ledger', async () => {
    const levels = await rows<{ location_id: string; n: number; thresholds: number; below: number }>(
      `SELECT location_id, count(*)::int AS n, count(low_stock_threshold)::int AS thresholds,
              count(*) FILTER (WHERE on_hand <= low_stock_threshold)::int AS below
         FROM stock_levels WHERE tenant_id = $1 GROUP BY location_id ORDER BY location_id`,
    );
    expect(levels.map((l) => l.location_id).sort()).toEqual(seeded.locations.map((l) => l.id).sort());
    for (const l of levels) {
      expect(l.n).toBe(seeded.variants);
      expect(l.thresholds).toBeGreaterThan(10);
      expect(l.below).toBeGreaterThan(0);
    }
    const drift = await rows(
      `SELECT l.variant_id FROM stock_levels l
         LEFT JOIN (SELECT variant_id, location_id, sum(delta)::int AS total FROM stock_movements
                     WHERE tenant_id = $1 GROUP BY 1, 2) m USING (variant_id, location_id)
        WHERE l.tenant_id = $1 AND l.on_hand <> coalesce(m.total, 0)`,
    );
    expect(drift).toEqual([]);
    const negative = await rows(`SELECT 1 FROM stock_levels WHERE tenant_id = $1 AND on_hand < 0`);
    expect(negative).toEqual([]);
  });

  it('rings up completed orders at every register with gapless numbers, dated yesterday in opening hours', async () => {
    const orders = await rows<{ register_id: string; number: number; status: string; hour: number; day: number }>(
      `SELECT o.register_id, o.number, o.status,
              extract(hour FROM o.created_at AT TIME ZONE l.timezone)::int AS hour,
              ((now() AT TIME ZONE l.timezone)::date - (o.created_at AT TIME ZONE l.timezone)::date) AS day
         FROM orders o JOIN locations l ON l.id = o.location_id
        WHERE o.tenant_id = $1 ORDER BY o.register_id, o.number`,
    );
    expect(orders).toHaveLength(seeded.orders);
    expect(seeded.voided).toBe(2);
    expect(orders.filter((o) => o.status === 'voided')).toHaveLength(2);
    expect(orders.filter((o) => o.status === 'open')).toHaveLength(0);
    const registers = seeded.locations.flatMap((l) => l.registers.map((r) => r.id));
    for (const id of registers) {
      const numbers = orders.filter((o) => o.register_id === id).map((o) => o.number);
      expect(numbers.length).toBeGreaterThanOrEqual(3);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    }
    for (const o of orders) {
      expect(o.day).toBe(1);
      expect(o.hour).toBeGreaterThanOrEqual(7);
      expect(o.hour).toBeLessThan(21);
    }
    // Within a register, later numbers were rung up later.
    const times = await rows<{ ok: boolean }>(
      `SELECT bool_and(created_at < next) AS ok FROM (
         SELECT created_at, lead(created_at) OVER (PARTITION BY register_id ORDER BY number) AS next
           FROM orders WHERE tenant_id = $1) s WHERE next IS NOT NULL`,
    );
    expect(times[0]?.ok).toBe(true);
    const tenders = await rows<{ method: string }>(
      `SELECT DISTINCT t.method FROM order_tenders t JOIN orders o ON o.id = t.order_id
        WHERE o.tenant_id = $1 AND t.created_at > o.created_at AND t.created_at < now() - interval '1 hour'`,
    );
    expect(tenders.map((r) => r.method).sort()).toEqual(['cash', 'external_card']);
  });

  it('shows the orders in GET /v1/orders, newest first, with the totals of the real engine', async () => {
    const token = (await login(t, shop.emails.manager)).access_token;
    const res = await t.app.inject({ method: 'GET', url: '/v1/orders?limit=100', headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json().data as { created_at: string; total_cents: number; status: string }[];
    expect(data).toHaveLength(seeded.orders);
    const times = data.map((o) => Date.parse(o.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const o of data) expect(o.total_cents).toBeGreaterThan(0);
    // The tenders were chosen from a local quote; the server agreed with every one of them.
    expect(seeded.repriced).toBe(0);
    const taxed = await rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM orders WHERE tenant_id = $1 AND tax_cents > 0 AND tax_rate_bps = 800
          AND tax_rate_source = 'tenant'`,
    );
    expect(taxed[0]?.n).toBeGreaterThan(0);
    const [sum] = await rows<{ bad: number }>(
      `SELECT count(*)::int AS bad FROM orders o
        WHERE o.tenant_id = $1 AND o.total_cents <> (SELECT sum(line_total_cents) FROM order_lines WHERE order_id = o.id)`,
    );
    expect(sum?.bad).toBe(0);
  });

  it('audits what it did and keeps the audit chains valid', async () => {
    const token = (await login(t, shop.emails.owner)).access_token;
    const res = await t.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ok: true });
    const actions = await rows<{ action: string }>(
      `SELECT DISTINCT action FROM audit_events WHERE tenant_id = $1 ORDER BY action`,
    );
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'location.created',
        'register.created',
        'inventory.adjusted',
        'order.completed',
        'order.voided',
      ]),
    );
  });

  it('rings up a sale at the server price when the local quote is wrong (and says so)', async () => {
    const ctx = { ...systemContext(shop.tenantId), actorType: 'user' as const, actorId: shop.userIds.cashier };
    const register = { id: shop.registerId, locationId: shop.locationId };
    const book = await priceBookOf(t.deps, ctx, demoCatalog(), register);
    expect(book.taxBps).toBe(800);
    const wrong = { ...book, taxBps: 0 };
    const plan = {
      register: 0,
      daysAgo: 1,
      secondsOfDay: 36_000,
      items: [{ sku: 'DRK-001-330ML', quantity: 1 }],
      discountBp: 0,
      note: undefined,
      payment: 'card' as const,
      voidReason: undefined,
    };
    const [sale] = await ringUp(t.deps, { seller: ctx, voider: ctx }, wrong, shop.registerId, [plan], 1);
    expect(sale?.repriced).toBe(true);
    const [order] = await rows<{ status: string; total_cents: number; paid_cents: number }>(
      `SELECT status, total_cents, paid_cents FROM orders WHERE tenant_id = $1 AND id = $2`,
      [sale?.id],
    );
    expect(order).toEqual({ status: 'completed', total_cents: 161, paid_cents: 161 }); // 1.49 + 8 %
  });

  it('refuses to seed a tenant that already has products, and writes nothing', async () => {
    const before = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE tenant_id = $1`);
    const err = await seedDemoShop(t.deps, shop.tenantId, { days: 1, ordersPerDay: [1, 1] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'conflict' });
    expect((err as Error).message).toMatch(/already has 200 products/);
    const after = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE tenant_id = $1`);
    expect(after).toEqual(before);
    const locations = await rows(`SELECT 1 FROM locations WHERE tenant_id = $1`);
    expect(locations).toHaveLength(2);
  });

  it('refuses an unknown tenant and bad options before writing', async () => {
    const unknown = '01900000-0000-7000-8000-000000000000';
    await expect(seedDemoShop(t.deps, unknown)).rejects.toMatchObject({ code: 'tenant_not_found' });
    await expect(seedDemoShop(t.deps, shop.tenantId, { days: 0 })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(seedDemoShop(t.deps, shop.tenantId, { ordersPerDay: [5, 2] })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(seedDemoShop(t.deps, shop.tenantId, { taxRateBps: 10_001 })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

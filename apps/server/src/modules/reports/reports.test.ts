import { beforeAll, describe, expect, it } from 'vitest';
import { SEED_ITEMS, seedCatalog } from '../../../test/fixtures.ts';
import { bodyOf, expectProblem, PASSWORD, useShop, type Client } from '../../../test/harness.ts';

const shop = useShop({ name: 'Seed Shop', env: { DEFAULT_TAX_RATE_BPS: '800' }, roles: ['owner', 'manager', 'till'] });
const owner = shop.as('owner');
const manager = shop.as('manager');
/** A second store of the shop, far east of UTC, with its own till. */
let east: { locationId: string; registerId: string };
/** A manager who works at the first store only. */
let storeManager: Client;

/** A cash sale of the seed cart (total 521 with 8 % tax and 10 % off) at a register. */
async function sell(registerId = shop.registerId, tenders = [{ method: 'cash', amount_cents: 1000 }]) {
  const res = await owner.post('/v1/orders/sku', {
    register_id: registerId,
    items: SEED_ITEMS,
    discount_percent_bp: 1000,
    tenders,
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<{ id: string }>();
}

/** Moves an order's sale (and void) to another instant, as if it had happened then: `at` is SQL. */
async function backdate(orderId: string, at: string): Promise<void> {
  await shop.db.query(
    `UPDATE orders SET completed_at = ${at}, voided_at = CASE WHEN voided_at IS NULL THEN NULL ELSE ${at} END
      WHERE id = $1`,
    [orderId],
  );
}

async function sql<R>(text: string): Promise<R> {
  const { rows } = await shop.db.query(text);
  return rows[0] as R;
}

beforeAll(async () => {
  await seedCatalog(shop);
  const location = bodyOf(await owner.post('/v1/locations', { name: 'East Store', timezone: 'Asia/Tokyo' }));
  const register = bodyOf(await owner.post('/v1/registers', { location_id: location.id, name: 'East Till' }));
  east = { locationId: location.id, registerId: register.id };
  bodyOf(
    await owner.post('/v1/inventory/adjustments', {
      location_id: east.locationId,
      lines: [
        { sku: 'SKU-SODA', delta: 50, reason: 'receipt' },
        { sku: 'SKU-WATER', delta: 50, reason: 'receipt' },
      ],
    }),
  );
  const scoped = bodyOf(
    await owner.post('/v1/users', {
      email: `store.manager.${Date.now()}@example.com`,
      display_name: 'Store Manager',
      password: PASSWORD,
      roles: ['manager'],
      location_ids: [shop.locationId],
    }),
  );
  storeManager = shop.withToken((await shop.login(scoped.email)).access_token);

  // Today at the first store (tenant zone UTC): two sales, one of them by card terminal; one sale voided; one
  // parked ticket thrown away; one sale of two days ago.
  await sell();
  await sell(shop.registerId, [{ method: 'external_card', amount_cents: 521, reference: 'T-1' } as never]);
  const voided = await sell();
  expect((await owner.post(`/v1/orders/${voided.id}/void`, { reason: 'test' })).statusCode).toBe(200);
  const parked = bodyOf(await owner.post('/v1/orders/sku', { register_id: shop.registerId, items: SEED_ITEMS }));
  expect((await owner.post(`/v1/orders/${parked.id}/void`, { reason: 'gone' })).statusCode).toBe(200);
  const old = await sell();
  await backdate(old.id, "now() - interval '2 days'");

  // At the east store: one sale at 10:15 local time two days ago (Tokyo's date is never behind UTC's, so that
  // is 01:15 UTC of a day before today in UTC too).
  const eastSale = await sell(east.registerId);
  await backdate(
    eastSale.id,
    `(date_trunc('day', now() AT TIME ZONE 'Asia/Tokyo') - interval '2 days' + interval '10 hours 15 minutes')
       AT TIME ZONE 'Asia/Tokyo'`,
  );
});

describe('GET /v1/reports/sales/today', () => {
  it("sums the day's completed sales of one store, its voids and what each tender took", async () => {
    const res = await manager.get(`/v1/reports/sales/today?location_id=${shop.locationId}`);
    expect(res.statusCode, res.body).toBe(200);
    const { date } = await sql<{ date: string }>("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date");
    expect(res.json()).toEqual({
      location_id: shop.locationId,
      timezone: 'UTC',
      currency: 'USD',
      date,
      orders: 2,
      sales_cents: 1042,
      tax_cents: 58,
      discount_cents: 110,
      average_ticket_cents: 521,
      items_sold: 6,
      voided_orders: 1,
      voided_cents: 521,
      tenders: [
        { method: 'cash', amount_cents: 521, count: 1 },
        { method: 'external_card', amount_cents: 521, count: 1 },
      ],
    });
  });

  it("reads every store for an unscoped manager, and only the manager's own store for a scoped one", async () => {
    const all = (await manager.get('/v1/reports/sales/today')).json();
    expect(all).toMatchObject({ location_id: null, timezone: 'UTC', orders: 2, sales_cents: 1042 });
    const mine = (await storeManager.get('/v1/reports/sales/today')).json();
    expect(mine).toMatchObject({ location_id: null, orders: 2, sales_cents: 1042 });
    const eastToday = (await owner.get(`/v1/reports/sales/today?location_id=${east.locationId}`)).json();
    expect(eastToday).toMatchObject({ timezone: 'Asia/Tokyo', orders: 0, sales_cents: 0, average_ticket_cents: 0 });
  });

  it('answers 404 for a store outside the caller scope or of another tenant, 403 for a cashier', async () => {
    expectProblem(
      await storeManager.get(`/v1/reports/sales/today?location_id=${east.locationId}`),
      404,
      'location_not_found',
    );
    const other = await shop.addTenant('Other Shop', []);
    expectProblem(
      await owner.get(`/v1/reports/sales/today?location_id=${other.locationId}`),
      404,
      'location_not_found',
    );
    expectProblem(await shop.as('till').get('/v1/reports/sales/today'), 403, 'forbidden');
    expectProblem(await shop.anon.get('/v1/reports/sales/today'), 401, 'unauthorized');
  });

  it('refuses bad queries with 400', async () => {
    expectProblem(await owner.get('/v1/reports/sales/today?location_id=nope'), 400, 'validation_failed');
    expectProblem(await owner.get('/v1/reports/sales/today?tz=UTC'), 400, 'validation_failed');
  });
});

describe('GET /v1/reports/sales/hourly', () => {
  it('has every local hour of the last 7 days, with each sale in its local hour', async () => {
    const res = await owner.get(`/v1/reports/sales/hourly?location_id=${east.locationId}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ location_id: east.locationId, timezone: 'Asia/Tokyo', currency: 'USD' });
    expect(body.hours).toHaveLength(7 * 24);
    const { earlier, today, first } = await sql<{ earlier: string; today: string; first: string }>(
      `SELECT to_char(d - interval '2 days', 'YYYY-MM-DD') AS earlier, to_char(d, 'YYYY-MM-DD') AS today,
              to_char(d - interval '6 days', 'YYYY-MM-DD') AS first
         FROM (SELECT date_trunc('day', now() AT TIME ZONE 'Asia/Tokyo') AS d) x`,
    );
    expect(body.from).toBe(first);
    expect(body.to).toBe(today);
    expect(body.hours[0]).toMatchObject({ date: first, hour: 0 });
    const sold = body.hours.filter((h: { orders: number }) => h.orders > 0);
    expect(sold).toEqual([{ date: earlier, hour: 10, orders: 1, sales_cents: 521 }]);
  });

  it("counts the first store's sales (the old one included) and not the voided one", async () => {
    const body = (await storeManager.get(`/v1/reports/sales/hourly?days=3`)).json();
    expect(body.hours).toHaveLength(3 * 24);
    const total = body.hours.reduce((sum: number, h: { sales_cents: number }) => sum + h.sales_cents, 0);
    expect(total).toBe(3 * 521);
  });

  it('refuses days outside 1–31 and a scoped manager asking for another store', async () => {
    expectProblem(await owner.get('/v1/reports/sales/hourly?days=0'), 400, 'validation_failed');
    expectProblem(await owner.get('/v1/reports/sales/hourly?days=32'), 400, 'validation_failed');
    expectProblem(
      await storeManager.get(`/v1/reports/sales/hourly?location_id=${east.locationId}`),
      404,
      'location_not_found',
    );
  });
});

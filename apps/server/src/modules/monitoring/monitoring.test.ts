import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../gateway-sim/simulator.ts';
import { SEED_ITEMS, seedCatalog } from '../../../test/fixtures.ts';
import { expectProblem, useShop } from '../../../test/harness.ts';

let sim: { app: FastifyInstance; url: string };
// Registered before useShop(): the simulator is up before the shop opens, and closes after it.
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.app.close();
});

const shop = useShop({
  name: 'Monitored Shop',
  env: () => ({ GATEWAY_URL: sim.url, SLOW_QUERY_MS: '15' }),
  roles: ['owner', 'manager', 'till'],
});
const owner = shop.as('owner');
const totals: number[] = [];

function sell(tenders: Record<string, unknown>[]) {
  return shop.as('till').post('/v1/orders/sku', { register_id: shop.registerId, items: SEED_ITEMS, tenders });
}

async function scrape(): Promise<string> {
  return (await shop.anon.get('/metrics')).body;
}

beforeAll(async () => {
  await seedCatalog(shop);
  await shop.operatorToken();
  for (let i = 0; i < 3; i++) {
    const res = await sell([{ method: 'cash', amount_cents: 10_000 }]);
    expect(res.statusCode, res.body).toBe(201);
    totals.push(res.json().total_cents as number);
  }
  const [first] = (await owner.get('/v1/orders')).json().data as { id: string }[];
  const voided = await shop
    .as('manager')
    .post(`/v1/orders/${first?.id ?? ''}/void`, { reason: 'customer changed their mind' });
  expect(voided.statusCode, voided.body).toBe(200);
  const declined = await sell([{ method: 'card', amount_cents: totals[0] ?? 0, card_token: 'tok_declined' }]);
  expect(declined.statusCode, declined.body).toBe(402);
});
describe('business metrics on /metrics', () => {
  it('counts completed orders, revenue, voids and card failures by tenant', async () => {
    const text = await scrape();
    const tenant = `tenant_id="${shop.tenantId}"`;
    expect(text).toContain(`orders_total{${tenant}} 3`);
    expect(text).toContain(`revenue_cents_total{${tenant},currency="USD"} ${totals.reduce((a, b) => a + b, 0)}`);
    expect(text).toContain(`order_voids_total{${tenant}} 1`);
    expect(text).toContain(`payment_failures_total{${tenant},reason="declined"} 1`);
  });
});

describe('GET /v1/monitoring/business', () => {
  it("gives the owner their tenant's hour, revenue, average order value and card failure rate", async () => {
    const res = await owner.get('/v1/monitoring/business?hours=2');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    // One of the three sales was voided: revenue counts what stayed sold.
    const kept = totals.slice(1).reduce((a, b) => a + b, 0);
    expect(body).toMatchObject({
      scope: 'tenant',
      window_hours: 2,
      orders_completed: 2,
      orders_voided: 1,
      by_currency: [
        { currency: 'USD', orders: 2, revenue_cents: kept, average_order_value_cents: Math.round(kept / 2) },
      ],
      payments: { attempts: 1, failures: 1, failure_rate: 1 },
    });
    expect(body.per_hour.reduce((n: number, h: { orders: number }) => n + h.orders, 0)).toBe(2);
  });

  it('gives a superadmin the platform view and refuses other roles and bad windows', async () => {
    const res = await shop.as('superadmin').get('/v1/monitoring/business');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ scope: 'platform', window_hours: 24, orders_completed: 2 });
    const asManager = await shop.as('manager').get('/v1/monitoring/business');
    expectProblem(asManager, 403, 'forbidden');
    for (const hours of ['0', '169', 'x']) {
      const bad = await owner.get(`/v1/monitoring/business?hours=${hours}`);
      expectProblem(bad, 400, 'validation_failed');
    }
  });
});

describe('GET /v1/monitoring/performance', () => {
  it('lists the slowest routes, the error rate and queries above SLOW_QUERY_MS (app timing)', async () => {
    await shop.deps.db.app.query('SELECT pg_sleep(0.03)');
    const res = await owner.get('/v1/monitoring/performance?limit=50');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.requests).toBeGreaterThan(5);
    expect(body.error_rate).toBe(0);
    expect(body.client_error_rate).toBeGreaterThan(0); // the declined card (402)
    const sale = body.slowest_routes.find(
      (r: { method: string; route: string }) => r.method === 'POST' && r.route === '/v1/orders/sku',
    );
    expect(sale).toMatchObject({ requests: 4, errors: 0 });
    expect(sale.mean_ms).toBeGreaterThan(0);
    expect(body.slow_queries).toMatchObject({ source: 'app', threshold_ms: 15 });
    const sleep = body.slow_queries.queries.find((q: { query: string }) => q.query === 'SELECT pg_sleep(0.03)');
    expect(sleep.calls).toBe(1);
    expect(sleep.mean_ms).toBeGreaterThanOrEqual(29);
    expect(Number(/^db_slow_queries_total (\d+)$/m.exec(await scrape())?.[1])).toBeGreaterThanOrEqual(1);
    const bad = await owner.get('/v1/monitoring/performance?limit=0');
    expectProblem(bad, 400, 'validation_failed');
  });
});

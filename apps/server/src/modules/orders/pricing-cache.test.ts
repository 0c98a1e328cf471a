import pg from 'pg';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { until } from '../../../test/timing.ts';
import { SEED_ITEMS, useSeedShop } from './orders.fixtures.ts';

// The pricing cache (pricing-cache.ts) answers compute from memory, and the database's change notifications keep
// it true: a process sees its own writes at once, another process's a moment later, and nothing is answered from
// memory while the notifications are not heard.

const { shop, variants } = useSeedShop({ env: { DEFAULT_TAX_RATE_BPS: '800' } });

beforeAll(async () => {
  await until('the pricing notifications to be live', () => Promise.resolve(shop.deps.db.pricingChanges.isLive));
  expect(shop.deps.db.pricingChanges.isLive).toBe(true);
});

async function compute(payload: Record<string, unknown> = { items: SEED_ITEMS, register_id: shop.registerId }) {
  const res = await shop.as('till').post('/v1/orders/compute', payload);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ total_cents: number; tax_rate_bps: number; items: { unit_price_cents: number }[] }>();
}

async function sodaPrice(): Promise<number | undefined> {
  return (await compute()).items[0]?.unit_price_cents;
}

/** Connections taken from the app pool while `fn` runs: 0 means it never reached the database. */
async function connectionsDuring(fn: () => Promise<unknown>): Promise<number> {
  const spy = vi.spyOn(shop.deps.db.app, 'connect');
  try {
    await fn();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

async function owner(method: 'PATCH' | 'POST', url: string, payload: Record<string, unknown>) {
  const res = await shop.as('owner').request(method, url, payload);
  expect(res.statusCode, res.body).toBeLessThan(300);
}

describe('the pricing cache', () => {
  it('answers a repeated compute without touching the database, to the same cent', async () => {
    const first = await compute();
    let second: Awaited<ReturnType<typeof compute>> | undefined;
    expect(await connectionsDuring(async () => (second = await compute()))).toBe(0);
    expect(second).toEqual(first);
  });

  it("sees this server's own price change, tax override and money settings at once", async () => {
    await compute();
    await owner('PATCH', `/v1/variants/${variants.soda}`, { price_cents: 250 });
    expect((await compute()).items[0]?.unit_price_cents).toBe(250);

    await owner('POST', '/v1/admin/tax_rate_overrides', { register_id: shop.registerId, rate_bps: 500 });
    expect((await compute()).tax_rate_bps).toBe(500);

    await owner('PATCH', '/v1/settings/tenant', { prices_include_tax: true });
    const inclusive = await compute();
    // 2 × 2.50 + 1.49 with VAT-inclusive prices: the total is the sum of the shelf prices.
    expect(inclusive.total_cents).toBe(649);
    await owner('PATCH', '/v1/settings/tenant', { prices_include_tax: false });
    await owner('PATCH', `/v1/variants/${variants.soda}`, { price_cents: 199 });
  });

  it("sees another process's price change once PostgreSQL notifies it", async () => {
    expect((await compute()).items[0]?.unit_price_cents).toBe(199);
    const other = new pg.Client({ connectionString: shop.t.database.ownerUrl });
    await other.connect();
    try {
      await other.query('UPDATE product_variants SET price_cents = 205 WHERE id = $1', [variants.soda]);
      await until("the other process's price 2.05 to reach the cache", async () => (await sodaPrice()) === 205);
      expect(await sodaPrice()).toBe(205);
      await other.query('UPDATE product_variants SET price_cents = 199 WHERE id = $1', [variants.soda]);
      await until("the other process's price 1.99 to reach the cache", async () => (await sodaPrice()) === 199);
      expect(await sodaPrice()).toBe(199);
    } finally {
      await other.end();
    }
  });

  it('reads the database while the notifications are not heard, and forgets everything when they return', async () => {
    await compute();
    await shop.deps.db.pricingChanges.stop();
    try {
      expect(await connectionsDuring(() => compute())).toBeGreaterThan(0);
    } finally {
      shop.deps.db.listenForChanges();
    }
    await until('the pricing notifications to be live again', () =>
      Promise.resolve(shop.deps.db.pricingChanges.isLive),
    );
    expect(shop.deps.db.pricingChanges.isLive).toBe(true);
    // Dropped on reconnect: the first compute reads again, the next one is from memory.
    expect(await connectionsDuring(() => compute())).toBeGreaterThan(0);
    expect(await connectionsDuring(() => compute())).toBe(0);
  });
});

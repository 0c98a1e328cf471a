import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/harness.ts';
import { SEED_ITEMS, seedShop, type SeedShop } from './orders.fixtures.ts';

// The pricing cache (pricing-cache.ts) answers compute from memory, and the database's change notifications keep
// it true: a process sees its own writes at once, another process's a moment later, and nothing is answered from
// memory while the notifications are not heard.

let t: TestApp;
let shop: SeedShop;

beforeAll(async () => {
  t = await createTestApp({ DEFAULT_TAX_RATE_BPS: '800' });
  shop = await seedShop(t);
  await vi.waitFor(() => {
    expect(t.deps.db.pricingChanges.isLive).toBe(true);
  });
});
afterAll(() => t.close());

async function compute(payload: Record<string, unknown> = { items: SEED_ITEMS, register_id: shop.registerId }) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/orders/compute',
    headers: bearer(shop.tokens.cashier),
    payload,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ total_cents: number; tax_rate_bps: number; items: { unit_price_cents: number }[] }>();
}

/** Connections taken from the app pool while `fn` runs: 0 means it never reached the database. */
async function connectionsDuring(fn: () => Promise<unknown>): Promise<number> {
  const spy = vi.spyOn(t.deps.db.app, 'connect');
  try {
    await fn();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

async function owner(method: 'PATCH' | 'POST', url: string, payload: Record<string, unknown>) {
  const res = await t.app.inject({ method, url, headers: bearer(shop.tokens.owner), payload });
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
    await owner('PATCH', `/v1/variants/${shop.variants.soda}`, { price_cents: 250 });
    expect((await compute()).items[0]?.unit_price_cents).toBe(250);

    await owner('POST', '/v1/admin/tax_rate_overrides', { register_id: shop.registerId, rate_bps: 500 });
    expect((await compute()).tax_rate_bps).toBe(500);

    await owner('PATCH', '/v1/settings/tenant', { prices_include_tax: true });
    const inclusive = await compute();
    // 2 × 2.50 + 1.49 with VAT-inclusive prices: the total is the sum of the shelf prices.
    expect(inclusive.total_cents).toBe(649);
    await owner('PATCH', '/v1/settings/tenant', { prices_include_tax: false });
    await owner('PATCH', `/v1/variants/${shop.variants.soda}`, { price_cents: 199 });
  });

  it("sees another process's price change once PostgreSQL notifies it", async () => {
    expect((await compute()).items[0]?.unit_price_cents).toBe(199);
    const other = new pg.Client({ connectionString: t.database.ownerUrl });
    await other.connect();
    try {
      await other.query('UPDATE product_variants SET price_cents = 205 WHERE id = $1', [shop.variants.soda]);
      await expect.poll(async () => (await compute()).items[0]?.unit_price_cents, { timeout: 5000 }).toBe(205);
      await other.query('UPDATE product_variants SET price_cents = 199 WHERE id = $1', [shop.variants.soda]);
      await expect.poll(async () => (await compute()).items[0]?.unit_price_cents, { timeout: 5000 }).toBe(199);
    } finally {
      await other.end();
    }
  });

  it('reads the database while the notifications are not heard, and forgets everything when they return', async () => {
    await compute();
    await t.deps.db.pricingChanges.stop();
    try {
      expect(await connectionsDuring(() => compute())).toBeGreaterThan(0);
    } finally {
      t.deps.db.listenForChanges();
    }
    await expect.poll(() => t.deps.db.pricingChanges.isLive).toBe(true);
    // Dropped on reconnect: the first compute reads again, the next one is from memory.
    expect(await connectionsDuring(() => compute())).toBeGreaterThan(0);
    expect(await connectionsDuring(() => compute())).toBe(0);
  });
});

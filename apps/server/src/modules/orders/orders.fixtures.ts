import { expect } from 'vitest';
import { bearer, createTestTenant, login, type TestApp, type TestTenant } from '../../../test/harness.ts';

/** The seed's shop: Soda (STD, 1.99) and Water (EXEMPT, 1.49), stocked, with signed-in staff. */
export interface SeedShop extends TestTenant {
  readonly tokens: { owner: string; manager: string; cashier: string };
  readonly variants: { soda: string; water: string };
}

async function createProduct(t: TestApp, token: string, name: string, sku: string, price: number, taxCode: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/products',
    headers: bearer(token),
    payload: { name, variants: [{ sku, price_cents: price, tax_code: taxCode }] },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().variants[0].id as string;
}

/** Stocks `quantity` of each SKU at the shop's location. */
export async function stock(t: TestApp, shop: SeedShop, lines: Record<string, number>): Promise<void> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/inventory/adjustments',
    headers: bearer(shop.tokens.owner),
    payload: {
      location_id: shop.locationId,
      lines: Object.entries(lines).map(([sku, delta]) => ({ sku, delta, reason: 'receipt' })),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
}

export async function seedShop(t: TestApp, name = 'Seed Shop'): Promise<SeedShop> {
  const shop = await createTestTenant(t, name);
  const owner = (await login(t, shop.emails.owner)).access_token;
  const manager = (await login(t, shop.emails.manager)).access_token;
  const cashierRes = await t.app.inject({
    method: 'POST',
    url: '/v1/auth/pin-login',
    payload: { register_id: shop.registerId, pin: shop.pins.cashier },
  });
  const cashier = cashierRes.json().access_token as string;
  const soda = await createProduct(t, owner, 'Soda Can', 'SKU-SODA', 199, 'STD');
  const water = await createProduct(t, owner, 'Bottle Water', 'SKU-WATER', 149, 'EXEMPT');
  const seeded: SeedShop = { ...shop, tokens: { owner, manager, cashier }, variants: { soda, water } };
  await stock(t, seeded, { 'SKU-SODA': 100, 'SKU-WATER': 100 });
  return seeded;
}

/** The seed's cart: 2 × Soda + 1 × Water with a 10 % discount. */
export const SEED_ITEMS = [
  { sku: 'SKU-SODA', quantity: 2 },
  { sku: 'SKU-WATER', quantity: 1 },
];

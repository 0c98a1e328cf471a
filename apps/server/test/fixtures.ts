/**
 * Shared fixtures on top of the harness: the seed's catalog, made through the API as a back office would.
 */
import { bodyOf, type Tenant } from './harness.ts';

/** The seed's products: Soda (STD, 1.99) and Water (EXEMPT, 1.49). */
export interface SeedCatalog {
  readonly variants: { readonly soda: string; readonly water: string };
}

/** The seed's cart: 2 × Soda + 1 × Water (with a 10 % discount and 8 % tax, 521). */
export const SEED_ITEMS = [
  { sku: 'SKU-SODA', quantity: 2 },
  { sku: 'SKU-WATER', quantity: 1 },
];

async function createProduct(tenant: Tenant, name: string, sku: string, price: number, taxCode: string) {
  const res = await tenant
    .as('owner')
    .post('/v1/products', { name, variants: [{ sku, price_cents: price, tax_code: taxCode }] });
  return bodyOf<{ variants: { id: string }[] }>(res, 201).variants[0]!.id;
}

/** Stocks `quantity` of each SKU at `locationId` (the tenant's first location by default). */
export async function stock(tenant: Tenant, lines: Record<string, number>, locationId = tenant.locationId) {
  const res = await tenant.as('owner').post('/v1/inventory/adjustments', {
    location_id: locationId,
    lines: Object.entries(lines).map(([sku, delta]) => ({ sku, delta, reason: 'receipt' })),
  });
  bodyOf(res, 201);
}

/** Creates the seed's Soda and Water and stocks 100 of each at the tenant's first location. */
export async function seedCatalog(tenant: Tenant): Promise<SeedCatalog> {
  const soda = await createProduct(tenant, 'Soda Can', 'SKU-SODA', 199, 'STD');
  const water = await createProduct(tenant, 'Bottle Water', 'SKU-WATER', 149, 'EXEMPT');
  await stock(tenant, { 'SKU-SODA': 100, 'SKU-WATER': 100 });
  return { variants: { soda, water } };
}

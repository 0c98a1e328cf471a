import { beforeAll } from 'vitest';
import { seedCatalog, type SeedCatalog } from '../../../test/fixtures.ts';
import {
  createTestTenant,
  Tenant,
  useShop,
  type Shop,
  type ShopOptions,
  type TestApp,
  type TestTenant,
} from '../../../test/harness.ts';

export { SEED_ITEMS, stock } from '../../../test/fixtures.ts';

/** A shop with the seed's catalog: what `useSeedShop()` gives a test file. */
export interface SeedShopFile {
  readonly shop: Shop;
  /** The seed's variants, known once the file's beforeAll hooks have run. */
  readonly variants: SeedCatalog['variants'];
}

/**
 * `useShop()` with the seed's catalog (Soda, STD, 1.99 and Water, EXEMPT, 1.49, 100 of each in stock); the owner,
 * the manager and the till (the cashier by PIN) sign in during beforeAll, as the seed's staff do.
 */
export function useSeedShop(options: ShopOptions = {}): SeedShopFile {
  const shop = useShop({ name: 'Seed Shop', roles: ['owner', 'manager', 'till'], ...options });
  const variants = { soda: '', water: '' };
  beforeAll(async () => {
    Object.assign(variants, (await seedCatalog(shop)).variants);
  });
  return { shop, variants };
}

/** Another tenant of the shop's app with the seed's catalog (and its `variants`), its owner, manager and till signed in. */
export async function addSeedTenant(shop: Shop, name: string): Promise<Tenant & SeedCatalog> {
  const tenant = await shop.addTenant(name, ['owner', 'manager', 'till']);
  return Object.assign(tenant, await seedCatalog(tenant));
}

/** The seed's shop on an app of the test's own (for files that build their app themselves), with tokens. */
export interface SeedShop extends TestTenant {
  readonly tokens: { owner: string; manager: string; cashier: string };
  readonly variants: SeedCatalog['variants'];
}

export async function seedShop(t: TestApp, name = 'Seed Shop'): Promise<SeedShop> {
  const data = await createTestTenant(t, name);
  const tenant = new Tenant({ host: { t }, data });
  const owner = await tenant.token('owner');
  const manager = await tenant.token('manager');
  const cashier = await tenant.token('till');
  const { variants } = await seedCatalog(tenant);
  return { ...data, tokens: { owner, manager, cashier }, variants };
}

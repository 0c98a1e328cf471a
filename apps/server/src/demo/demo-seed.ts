import { Readable } from 'node:stream';
import { isTenantRole, type TenantRole } from '@novapos/domain';
import type { Config } from '../platform/config.ts';
import { systemContext, type RequestContext } from '../platform/context.ts';
import type { Database } from '../platform/db/database.ts';
import { systemTx, tenantTx } from '../platform/db/tx.ts';
import { AppError, invalidField } from '../platform/errors.ts';
import { importCatalogCsv } from '../modules/catalog/index.ts';
import { adjustStock, setThreshold } from '../modules/inventory/index.ts';
import { setOverride } from '../modules/tax/index.ts';
import { DEMO_SEED, demoCatalog, demoCatalogCsv } from './demo-catalog.ts';
import { ensurePlaces, type DemoPlace } from './demo-places.ts';
import { planOrders, planStock } from './demo-plan.ts';
import { priceBookOf, ringUp, type RungUpOrder } from './demo-sales.ts';
import * as repo from './demo.repo.ts';

export interface SeedDeps {
  readonly db: Database;
  readonly config: Config;
}

export interface SeedOptions {
  /** Days of past sales, ending yesterday (1–31; default 3). */
  readonly days?: number;
  /** Completed orders per register and day, drawn from [min, max] (default [20, 40]). */
  readonly ordersPerDay?: readonly [min: number, max: number];
  /** Another seed gives another (equally deterministic) shop. */
  readonly seed?: number;
  /**
   * A tenant-wide tax-rate override to set before the sales (basis points; 800 = 8 %). Without it the tenant's
   * own settings apply (with `DEFAULT_TAX_RATE_BPS` unset: no tax at all, which makes a poor demo).
   */
  readonly taxRateBps?: number;
  /** Hears of each finished step (the CLI's progress): `done` of `total` steps, the last one named. */
  readonly onProgress?: (done: number, total: number, step: string) => void;
}

export interface SeededShop {
  readonly locations: readonly DemoPlace[];
  readonly products: number;
  readonly variants: number;
  readonly orders: number;
  readonly voided: number;
  /** Sales the server priced differently from the local quote (rung up again at its price); normally 0. */
  readonly repriced: number;
  readonly milliseconds: number;
}

const LOCATIONS = 2;
const TILLS = 2;

function checkOptions(options: SeedOptions): {
  days: number;
  ordersPerDay: [number, number];
  seed: number;
  taxRateBps: number | undefined;
} {
  const days = options.days ?? 3;
  if (!Number.isInteger(days) || days < 1 || days > 31) throw invalidField('days', 'must be a whole number 1–31');
  const [min, max] = options.ordersPerDay ?? [20, 40];
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min || max > 200) {
    throw invalidField('orders_per_day', 'must be whole numbers with 1 ≤ min ≤ max ≤ 200');
  }
  const tax = options.taxRateBps;
  if (tax !== undefined && (!Number.isInteger(tax) || tax < 0 || tax > 10_000)) {
    throw invalidField('tax_rate_bps', 'must be a whole number 0–10000');
  }
  return { days, ordersPerDay: [min, max], seed: options.seed ?? DEMO_SEED, taxRateBps: tax };
}

/** Who sells (the first cashier, else a manager, else the owner) and who voids (a manager or above). */
async function staffContexts(
  db: Database,
  ctx: RequestContext,
): Promise<{ seller: (registerId: string) => RequestContext; voider: RequestContext }> {
  const staff = await tenantTx(db, ctx, (tx) => repo.unscopedStaff(tx));
  const withRole = (...roles: TenantRole[]) => {
    for (const role of roles) {
      const user = staff.find((s) => s.roles.includes(role));
      if (user !== undefined) return user;
    }
    return undefined;
  };
  const asUser = (user: { id: string; roles: string[] } | undefined): RequestContext =>
    user === undefined
      ? ctx
      : { ...ctx, actorType: 'user', actorId: user.id, roles: user.roles.filter(isTenantRole), registerId: undefined };
  const cashier = asUser(withRole('cashier', 'manager', 'admin', 'owner'));
  return {
    seller: (registerId) => ({ ...cashier, registerId }),
    voider: asUser(withRole('manager', 'admin', 'owner')),
  };
}

/**
 * Fills a tenant with a believable shop (docs/demo.md): 2 locations × 2 registers (adding what is missing), about
 * 200 products with variants and barcodes (through the catalog's CSV import), opening stock at both locations
 * with a few low-stock thresholds, and `days` days of past sales at every register — created through the real
 * order use cases, so totals, numbers, stock and audit are what a till would have produced — then dated into the
 * past (demo only; see `backdateDemoActivity`). A tenant that already has products is refused (409 `conflict`):
 * the seed never adds a second copy of anything. Its steps are separate transactions; a seed that fails halfway
 * leaves what it wrote, and the tenant then counts as not empty.
 */
export async function seedDemoShop(deps: SeedDeps, tenantId: string, options: SeedOptions = {}): Promise<SeededShop> {
  const started = performance.now();
  const { days, ordersPerDay, seed, taxRateBps } = checkOptions(options);
  const ctx = systemContext(tenantId);
  const { db } = deps;
  const tenant = await tenantTx(db, ctx, (tx) => repo.tenantFacts(tx));
  if (tenant === undefined) throw new AppError('tenant_not_found', `No tenant has the id ${tenantId}`);
  if (tenant.products > 0) {
    throw new AppError(
      'conflict',
      `The tenant already has ${tenant.products} products: the demo seed only fills an empty tenant (create a new one with \`novapos tenant create\`)`,
    );
  }

  const places = await ensurePlaces(db, ctx, tenant.name, LOCATIONS, TILLS);
  // Steps: places, catalog, stock, one per register's sales, backdating.
  const steps = 4 + places.reduce((n, p) => n + p.registers.length, 0);
  let stepsDone = 0;
  const stepDone = (step: string): void => options.onProgress?.(++stepsDone, steps, step);
  stepDone('locations and registers');
  if (taxRateBps !== undefined) await setOverride(db, ctx, { rate_bps: taxRateBps });
  const catalog = demoCatalog(seed);
  const csv = demoCatalogCsv(catalog);
  const report = await importCatalogCsv(db, ctx, () => Readable.from([csv]), { dryRun: false, allowPartial: false });
  const firstError = report.errors[0];
  if (firstError !== undefined) {
    throw new AppError(
      'validation_failed',
      `The demo catalog did not import: row ${firstError.row}, ${firstError.field}: ${firstError.message}`,
    );
  }
  stepDone('catalog');

  const stock = places.map((_, l) => planStock(catalog, l, seed));
  const adjustmentIds: string[] = [];
  for (const [l, place] of places.entries()) {
    const lines = stock[l] ?? [];
    const adjustment = await adjustStock(db, ctx, {
      location_id: place.id,
      lines: lines.map((s) => ({ sku: s.sku, delta: s.quantity, reason: 'initial' as const, note: 'Opening stock' })),
    });
    adjustmentIds.push(adjustment.id);
    for (const s of lines) {
      if (s.threshold === null) continue;
      await setThreshold(db, ctx, { location_id: place.id, sku: s.sku, low_stock_threshold: s.threshold });
    }
  }

  stepDone('opening stock');

  const registers = places.flatMap((place, l) =>
    place.registers.map((r) => ({ id: r.id, locationId: place.id, location: l })),
  );
  const planned = planOrders(
    catalog,
    stock,
    registers.map((r) => r.location),
    { days, ordersPerDay, seed },
  );
  const staff = await staffContexts(db, ctx);
  // The registers ring up side by side, as real tills do: each has its own number sequence and audit chain. All
  // of them settle before an error is rethrown, so nothing still writes once the seed has failed.
  const streams = await Promise.allSettled(
    registers.map(async (r, i) => {
      const seller = staff.seller(r.id);
      const book = await priceBookOf(deps, seller, catalog, r);
      const mine = planned.filter((p) => p.register === i);
      const sold = await ringUp(deps, { seller, voider: staff.voider }, book, r.id, mine, seed + 100 + i);
      stepDone('sales');
      return sold;
    }),
  );
  const failed = streams.find((s) => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  const rungUp: RungUpOrder[] = streams.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));

  await systemTx(db, (tx) =>
    repo.backdateDemoActivity(tx, {
      orderIds: rungUp.map((o) => o.id),
      daysAgo: rungUp.map((o) => o.daysAgo),
      secondsOfDay: rungUp.map((o) => o.secondsOfDay),
      adjustmentIds,
      firstDay: days,
    }),
  );
  stepDone('dated into the past');
  return {
    locations: places,
    products: catalog.length,
    variants: catalog.reduce((n, p) => n + p.variants.length, 0),
    orders: rungUp.length,
    voided: rungUp.filter((o) => o.voided).length,
    repriced: rungUp.filter((o) => o.repriced).length,
    milliseconds: Math.round(performance.now() - started),
  };
}

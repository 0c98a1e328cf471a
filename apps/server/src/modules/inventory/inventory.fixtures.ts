// Helpers shared by the inventory tests (not a test file itself). Products and variants are written with SQL as
// the owner: the catalog module is built separately, and these tests must not depend on its API.
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { TestTenant } from '../../../test/harness.ts';

export interface TestVariant {
  readonly id: string;
  readonly sku: string;
  readonly productId: string;
}

/** Inserts one product per call with `count` variants; SKUs are unique per run (`prefix-xxxx-1`, …). */
export async function insertVariants(
  db: Queryable,
  tenantId: string,
  count: number,
  productName = 'Test Product',
  prefix = 'SKU',
): Promise<TestVariant[]> {
  const productId = newId();
  await db.query('INSERT INTO products (id, tenant_id, name) VALUES ($1, $2, $3)', [productId, tenantId, productName]);
  const tag = randomBytes(3).toString('hex');
  const variants: TestVariant[] = [];
  for (let i = 1; i <= count; i++) {
    const v = { id: newId(), sku: `${prefix}-${tag}-${i}`, productId };
    await db.query(
      `INSERT INTO product_variants (id, tenant_id, product_id, sku, name, price_cents)
       VALUES ($1, $2, $3, $4, $5, 1000)`,
      [v.id, tenantId, productId, v.sku, `Variant ${i}`],
    );
    variants.push(v);
  }
  return variants;
}

/** A second location of the tenant, written by the owner. */
export async function insertLocation(db: Queryable, tenantId: string, name: string): Promise<string> {
  const id = newId();
  await db.query('INSERT INTO locations (id, tenant_id, name, timezone) VALUES ($1, $2, $3, $4)', [
    id,
    tenantId,
    name,
    'UTC',
  ]);
  return id;
}

/** The owner's request context, as a signed-in owner's request would carry it. */
export function ownerContext(shop: TestTenant): RequestContext {
  return {
    tenantId: shop.tenantId,
    actorType: 'user',
    actorId: shop.ownerId,
    roles: ['owner'],
    locationIds: [],
    registerId: undefined,
    requestId: undefined,
  };
}

/** on_hand of a level (undefined when the level does not exist) and the sum of its ledger, seen by the owner. */
export async function levelAndLedger(
  db: Queryable,
  variantId: string,
  locationId: string,
): Promise<{ onHand: number | undefined; ledger: number; movements: number }> {
  const level = await db.query<{ on_hand: number }>(
    'SELECT on_hand FROM stock_levels WHERE variant_id = $1 AND location_id = $2',
    [variantId, locationId],
  );
  const ledger = await db.query<{ sum: number; n: number }>(
    `SELECT coalesce(sum(delta), 0)::int AS sum, count(*)::int AS n
       FROM stock_movements WHERE variant_id = $1 AND location_id = $2`,
    [variantId, locationId],
  );
  return { onHand: level.rows[0]?.on_hand, ledger: ledger.rows[0]?.sum ?? 0, movements: ledger.rows[0]?.n ?? 0 };
}

/** `inventory.low_stock` events in the outbox for a variant. */
export async function lowStockEvents(db: Queryable, variantId: string): Promise<Record<string, unknown>[]> {
  const { rows } = await db.query<{ payload: Record<string, unknown> }>(
    `SELECT payload FROM outbox WHERE topic = 'inventory.low_stock' AND payload->>'variant_id' = $1 ORDER BY id`,
    [variantId],
  );
  return rows.map((r) => r.payload);
}

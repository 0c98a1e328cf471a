import type { TaxCode } from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { barcodeTaken, mapConflicts, skuTaken } from './catalog.shared.ts';
import * as categoriesRepo from './categories.repo.ts';
import * as productsRepo from './products.repo.ts';
import * as variantsRepo from './variants.repo.ts';

// The audited writes of the catalog, shared by the HTTP services and the CSV import, so that a price changed by
// either leaves the same audit trail. Each runs in the caller's transaction.

/** A variant to create. */
export interface NewVariant {
  readonly sku: string;
  readonly name: string | null;
  readonly priceCents: number;
  readonly taxCode: TaxCode;
  readonly barcodes: readonly string[];
}

/** Changes to a variant; `barcodes` replaces the set. */
export interface VariantChanges extends variantsRepo.VariantPatch {
  barcodes?: readonly string[] | undefined;
}

const sorted = (values: readonly string[]): string[] => [...values].sort();

export async function createCategory(
  tx: Tx,
  ctx: RequestContext,
  c: { name: string; position: number },
): Promise<categoriesRepo.CategoryRow> {
  const row = await mapConflicts(categoriesRepo.insertCategory(tx, ctx, { id: newId(), ...c }));
  await recordAudit(tx, ctx, {
    action: 'category.created',
    entityType: 'category',
    entityId: row.id,
    data: { name: row.name, position: row.position },
  });
  return row;
}

/** Creates products (one statement), each audited as `product.created`; returns them in input order. */
export async function createProducts(
  tx: Tx,
  ctx: RequestContext,
  ps: readonly { name: string; description: string | null; categoryId: string | null }[],
): Promise<productsRepo.ProductRow[]> {
  const rows = await productsRepo.insertProducts(
    tx,
    ctx,
    ps.map((p) => ({ id: newId(), ...p })),
  );
  for (const row of rows) {
    await recordAudit(tx, ctx, {
      action: 'product.created',
      entityType: 'product',
      entityId: row.id,
      data: { name: row.name, description: row.description, category_id: row.category_id },
    });
  }
  return rows;
}

/** Applies the fields of `patch` that differ from `before`; audits `product.updated` with both sides. */
export async function updateProduct(
  tx: Tx,
  ctx: RequestContext,
  before: productsRepo.ProductRow,
  patch: productsRepo.ProductPatch,
): Promise<productsRepo.ProductRow> {
  const fields = (['name', 'description', 'category_id'] as const).filter(
    (f) => patch[f] !== undefined && patch[f] !== before[f],
  );
  if (fields.length === 0) return before;
  const changed = Object.fromEntries(fields.map((f) => [f, patch[f]])) as productsRepo.ProductPatch;
  const after = await productsRepo.updateProduct(tx, before.id, changed);
  await recordAudit(tx, ctx, {
    action: 'product.updated',
    entityType: 'product',
    entityId: before.id,
    data: {
      before: Object.fromEntries(fields.map((f) => [f, before[f]])),
      after: Object.fromEntries(fields.map((f) => [f, after[f]])),
    },
  });
  return after;
}

/**
 * Creates variants with their barcodes (one statement each, whatever the count), each audited as
 * `variant.created`; returns them in input order.
 */
export async function createVariants(
  tx: Tx,
  ctx: RequestContext,
  items: readonly { productId: string; variant: NewVariant }[],
): Promise<variantsRepo.VariantRow[]> {
  const drafts = items.map(({ productId, variant: v }) => ({
    id: newId(),
    productId,
    sku: v.sku,
    name: v.name,
    priceCents: v.priceCents,
    taxCode: v.taxCode,
    barcodes: sorted(v.barcodes),
  }));
  const inserted = await mapConflicts(
    (async () => {
      const rows = await variantsRepo.insertVariants(tx, ctx, drafts);
      await variantsRepo.insertBarcodes(
        tx,
        ctx,
        drafts.flatMap((d) => d.barcodes.map((barcode) => ({ variantId: d.id, barcode }))),
      );
      return rows;
    })(),
  );
  const rows = inserted.map((row, i) => ({ ...row, barcodes: drafts[i]?.barcodes ?? [] }));
  for (const row of rows) {
    await recordAudit(tx, ctx, {
      action: 'variant.created',
      entityType: 'variant',
      entityId: row.id,
      data: {
        product_id: row.product_id,
        sku: row.sku,
        name: row.name,
        price_cents: row.price_cents,
        tax_code: row.tax_code,
        barcodes: row.barcodes,
      },
    });
  }
  return rows;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && sorted(a).every((x, i) => x === sorted(b)[i]);
}

/**
 * Applies the changes that differ from `before`. A new price is audited as `variant.price_changed`
 * {sku, before_cents, after_cents}; other changes as `variant.updated` {before, after}.
 */
export async function updateVariant(
  tx: Tx,
  ctx: RequestContext,
  before: variantsRepo.VariantRow,
  changes: VariantChanges,
): Promise<variantsRepo.VariantRow> {
  const fields = (['sku', 'name', 'tax_code'] as const).filter(
    (f) => changes[f] !== undefined && changes[f] !== before[f],
  );
  const priceChanged = changes.price_cents !== undefined && changes.price_cents !== before.price_cents;
  const barcodes = changes.barcodes === undefined ? undefined : sorted(changes.barcodes);
  const barcodesChanged = barcodes !== undefined && !sameSet(barcodes, before.barcodes);
  if (fields.length === 0 && !priceChanged && !barcodesChanged) return before;

  const patch: variantsRepo.VariantPatch = Object.fromEntries(fields.map((f) => [f, changes[f]]));
  if (priceChanged) patch.price_cents = changes.price_cents;
  await mapConflicts(
    (async () => {
      await variantsRepo.updateVariant(tx, before.id, patch);
      if (barcodesChanged) await variantsRepo.setBarcodes(tx, ctx, before.id, barcodes);
    })(),
  );
  const after = (await variantsRepo.findVariant(tx, before.id)) as variantsRepo.VariantRow;
  if (priceChanged) {
    await recordAudit(tx, ctx, {
      action: 'variant.price_changed',
      entityType: 'variant',
      entityId: before.id,
      data: { sku: after.sku, before_cents: before.price_cents, after_cents: after.price_cents },
    });
  }
  if (fields.length > 0 || barcodesChanged) {
    const shown = barcodesChanged ? [...fields, 'barcodes' as const] : fields;
    await recordAudit(tx, ctx, {
      action: 'variant.updated',
      entityType: 'variant',
      entityId: before.id,
      data: {
        before: Object.fromEntries(shown.map((f) => [f, before[f]])),
        after: Object.fromEntries(shown.map((f) => [f, after[f]])),
      },
    });
  }
  return after;
}

/**
 * Refuses SKUs used twice in one request or already taken by a variant other than `self`: 409 `sku_taken` naming
 * the field. The unique constraint still settles races (see conflictOf).
 */
export async function assertSkusFree(
  tx: Tx,
  wanted: readonly { field: string; sku: string }[],
  self?: string,
): Promise<void> {
  const seen = new Map<string, string>();
  for (const { field, sku } of wanted) {
    const first = seen.get(sku);
    if (first !== undefined) throw skuTaken(field, sku, `is used twice in this request (also ${first})`);
    seen.set(sku, field);
  }
  const owners = await variantsRepo.skuOwners(
    tx,
    wanted.map((w) => w.sku),
  );
  for (const { field, sku } of wanted) {
    const owner = owners.get(sku);
    if (owner !== undefined && owner !== self) throw skuTaken(field, sku);
  }
}

/** Refuses barcodes used twice in one request or held by a variant other than `self`: 409 `barcode_taken`. */
export async function assertBarcodesFree(
  tx: Tx,
  wanted: readonly { field: string; barcode: string }[],
  self?: string,
): Promise<void> {
  const seen = new Map<string, string>();
  for (const { field, barcode } of wanted) {
    const first = seen.get(barcode);
    if (first !== undefined) throw barcodeTaken(field, barcode, `is used twice in this request (also ${first})`);
    seen.set(barcode, field);
  }
  const owners = await variantsRepo.barcodeOwners(
    tx,
    wanted.map((w) => w.barcode),
  );
  for (const { field, barcode } of wanted) {
    const owner = owners.get(barcode);
    if (owner !== undefined && owner.variant_id !== self) {
      throw barcodeTaken(field, barcode, `already names the variant with SKU ${owner.sku}`);
    }
  }
}

import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../audit/index.ts';
import {
  MAX_VARIANTS_PER_PRODUCT,
  type LookupDto,
  type NewVariantInput,
  type UpdateVariantInput,
  type VariantDto,
} from './catalog.schemas.ts';
import { cleanName, toLookupDto, toVariantDto, variantNotFound } from './catalog.shared.ts';
import * as writes from './catalog.writes.ts';
import { existingProduct } from './products.service.ts';
import * as repo from './variants.repo.ts';

async function existingVariant(tx: Tx, id: string, lock: 'none' | 'update' = 'none'): Promise<repo.VariantRow> {
  const row = await repo.findVariant(tx, id, lock);
  if (row === undefined) throw variantNotFound();
  return row;
}

export function getVariant(db: Database, ctx: RequestContext, id: string): Promise<VariantDto> {
  return tenantTx(db, ctx, async (tx) => toVariantDto(await existingVariant(tx, id)));
}

/** Adds a variant to an active product (422 `product_archived` otherwise); at most 100 per product. */
export function addVariant(
  db: Database,
  ctx: RequestContext,
  productId: string,
  input: NewVariantInput,
): Promise<VariantDto> {
  const variant: writes.NewVariant = {
    sku: input.sku,
    name: input.name === undefined ? null : cleanName('name', input.name),
    priceCents: input.price_cents,
    taxCode: input.tax_code ?? 'STD',
    barcodes: input.barcodes ?? [],
  };
  return tenantTx(db, ctx, async (tx) => {
    // The product's row lock serialises concurrent additions, so the limit below holds.
    const product = await existingProduct(tx, productId, 'update');
    if (product.archived_at !== null) {
      throw new AppError('product_archived', 'The product is archived; variants cannot be added to it');
    }
    const siblings = await repo.variantsOfProducts(tx, [productId], true);
    if (siblings.length >= MAX_VARIANTS_PER_PRODUCT) {
      throw new AppError('validation_failed', `A product has at most ${MAX_VARIANTS_PER_PRODUCT} variants`, {
        errors: [{ field: 'body', message: `the product already has ${siblings.length} variants` }],
      });
    }
    await writes.assertSkusFree(tx, [{ field: 'sku', sku: variant.sku }]);
    await writes.assertBarcodesFree(
      tx,
      variant.barcodes.map((barcode, i) => ({ field: `barcodes[${i}]`, barcode })),
    );
    const [created] = await writes.createVariants(tx, ctx, [{ productId, variant }]);
    return toVariantDto(created as repo.VariantRow);
  });
}

/**
 * Changes a variant. A new price is audited as `variant.price_changed` with before and after; `barcodes` replaces
 * the set (a barcode held by another variant is 409 `barcode_taken`).
 */
export function updateVariant(
  db: Database,
  ctx: RequestContext,
  id: string,
  input: UpdateVariantInput,
): Promise<VariantDto> {
  const name = input.name === undefined || input.name === null ? input.name : cleanName('name', input.name);
  return tenantTx(db, ctx, async (tx) => {
    const before = await existingVariant(tx, id, 'update');
    if (input.sku !== undefined && input.sku !== before.sku) {
      await writes.assertSkusFree(tx, [{ field: 'sku', sku: input.sku }], id);
    }
    if (input.barcodes !== undefined) {
      await writes.assertBarcodesFree(
        tx,
        input.barcodes.map((barcode, i) => ({ field: `barcodes[${i}]`, barcode })),
        id,
      );
    }
    const after = await writes.updateVariant(tx, ctx, before, {
      sku: input.sku,
      name,
      price_cents: input.price_cents,
      tax_code: input.tax_code,
      barcodes: input.barcodes,
    });
    return toVariantDto(after);
  });
}

/** Archives a variant: the till refuses it from now on; its SKU and barcodes stay reserved. */
export function archiveVariant(db: Database, ctx: RequestContext, id: string): Promise<VariantDto> {
  return tenantTx(db, ctx, async (tx) => {
    const before = await existingVariant(tx, id, 'update');
    if (before.archived_at !== null) return toVariantDto(before);
    await repo.archiveVariant(tx, id);
    await recordAudit(tx, ctx, {
      action: 'variant.archived',
      entityType: 'variant',
      entityId: id,
      data: { product_id: before.product_id, sku: before.sku },
    });
    return toVariantDto(await existingVariant(tx, id));
  });
}

/**
 * The variant an exact barcode names, with its product's name. Archived variants are found too, flagged
 * `archived: true`. No variant → 422 `unknown_barcode` (a scan of an unknown code is a fact about the input,
 * not a missing resource; see docs/catalog.md).
 */
export function lookupBarcode(db: Database, ctx: RequestContext, barcode: string): Promise<LookupDto> {
  return tenantTx(db, ctx, async (tx) => {
    const row = await repo.findVariantByBarcode(tx, barcode);
    if (row === undefined) {
      throw new AppError('unknown_barcode', `No variant has the barcode ${barcode}`, {
        errors: [{ field: 'barcode', message: 'names no variant of this tenant' }],
      });
    }
    return toLookupDto(row);
  });
}

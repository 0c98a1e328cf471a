import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { invalidField } from '../../platform/errors.ts';
import { afterIdCursor, toPage } from '../../platform/http/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { getStockPolicy, receiveOpeningStock, type OpeningStockLine } from '../inventory/index.ts';
import type {
  CreatedProductDto,
  CreateProductInput,
  ProductDto,
  ProductListInput,
  UpdateProductInput,
} from './catalog.schemas.ts';
import { categoryNotFound, cleanName, productNotFound, toProductDto } from './catalog.shared.ts';
import * as writes from './catalog.writes.ts';
import { findCategory } from './categories.repo.ts';
import * as repo from './products.repo.ts';
import { archiveVariantsOfProduct, variantsOfProducts } from './variants.repo.ts';

const DEFAULT_LIMIT = 50;

/** A category a product may be put into: one of the tenant's, not archived. Null stays null. */
export async function usableCategory(tx: Tx, field: string, id: string | null): Promise<string | null> {
  if (id === null) return null;
  const row = await findCategory(tx, id, 'share');
  if (row === undefined) throw categoryNotFound(field);
  if (row.archived_at !== null) throw invalidField(field, 'is an archived category');
  return id;
}

/** A product of the tenant; another tenant's id is simply not found. */
export async function existingProduct(tx: Tx, id: string, lock: 'none' | 'update' = 'none'): Promise<repo.ProductRow> {
  const row = await repo.findProduct(tx, id, lock);
  if (row === undefined) throw productNotFound();
  return row;
}

/** The product with all its variants (archived ones too, flagged by archived_at). */
export async function productView(tx: Tx, product: repo.ProductRow): Promise<ProductDto> {
  return toProductDto(product, await variantsOfProducts(tx, [product.id], true));
}

/** LIKE's wildcards and escape character, escaped: a search for "50%" looks for the text "50%". */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Each variant's opening stock, refusing a location named twice for one variant (400, naming the field). */
function openingStockOf(input: CreateProductInput): { index: number; locationId: string; quantity: number }[] {
  return input.variants.flatMap((v, i) => {
    const seen = new Set<string>();
    return (v.opening_stock ?? []).map((o, j) => {
      const locationId = o.location_id.toLowerCase();
      if (seen.has(locationId)) {
        throw invalidField(`variants[${i}].opening_stock[${j}].location_id`, 'names a location a second time');
      }
      seen.add(locationId);
      return { index: i, locationId, quantity: o.quantity };
    });
  });
}

/**
 * Creates a product with its variants (1 to 100) and their opening stock per location. SKUs and barcodes are
 * checked first so the problem can name the field (`variants[1].sku`); nothing is written unless everything is.
 * The answer says what the tills will do with it: the stock it starts with and the shop's stock policy.
 */
export function createProduct(
  db: Database,
  ctx: RequestContext,
  input: CreateProductInput,
): Promise<CreatedProductDto> {
  const opening = openingStockOf(input);
  const name = cleanName('name', input.name);
  const variants: writes.NewVariant[] = input.variants.map((v, i) => ({
    sku: v.sku,
    name: v.name === undefined ? null : cleanName(`variants[${i}].name`, v.name),
    priceCents: v.price_cents,
    taxCode: v.tax_code ?? 'STD',
    barcodes: v.barcodes ?? [],
  }));
  return tenantTx(db, ctx, async (tx) => {
    const categoryId = await usableCategory(tx, 'category_id', input.category_id ?? null);
    await writes.assertSkusFree(
      tx,
      variants.map((v, i) => ({ field: `variants[${i}].sku`, sku: v.sku })),
    );
    await writes.assertBarcodesFree(
      tx,
      variants.flatMap((v, i) => v.barcodes.map((barcode, j) => ({ field: `variants[${i}].barcodes[${j}]`, barcode }))),
    );
    const [product] = await writes.createProducts(tx, ctx, [
      { name, description: input.description ?? null, categoryId },
    ]);
    if (product === undefined) throw new Error('product not returned');
    const rows = await writes.createVariants(
      tx,
      ctx,
      variants.map((variant) => ({ productId: product.id, variant })),
    );
    const lines: OpeningStockLine[] = opening.map((o) => {
      const sku = variants[o.index]?.sku ?? '';
      const row = rows.find((r) => r.sku === sku);
      if (row === undefined) throw new Error(`variant ${sku} not returned`);
      return { locationId: o.locationId, variantId: row.id, sku, quantity: o.quantity };
    });
    const stocked = await receiveOpeningStock(tx, ctx, lines, { productId: product.id });
    return {
      ...toProductDto(product, rows),
      opening_stock: stocked,
      stock_policy: await getStockPolicy(tx, ctx),
    };
  });
}

export function getProduct(db: Database, ctx: RequestContext, id: string): Promise<ProductDto> {
  return tenantTx(db, ctx, async (tx) => productView(tx, await existingProduct(tx, id)));
}

/**
 * Products in id order with their variants. `q` matches names by trigram similarity or substring and SKUs by
 * prefix (see docs/catalog.md); archived products and variants are left out unless `include_archived`.
 */
export function listProducts(
  db: Database,
  ctx: RequestContext,
  q: ProductListInput,
): Promise<{ data: ProductDto[]; next_cursor: string | null }> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const after = afterIdCursor(q.cursor);
  const includeArchived = q.include_archived ?? false;
  let search: repo.ProductListWindow['search'] = null;
  if (q.q !== undefined) {
    const text = q.q.trim().toLowerCase();
    if (text === '') throw invalidField('q', 'must not be blank');
    search = { text, contains: `%${escapeLike(text)}%`, skuPrefix: `${escapeLike(text)}%` };
  }
  return tenantTx(db, ctx, async (tx) => {
    const rows = await repo.listProducts(tx, {
      includeArchived,
      categoryId: q.category_id ?? null,
      search,
      after,
      limit,
    });
    const page = toPage(rows, limit, (last) => ({ id: last.id }));
    const variants = await variantsOfProducts(
      tx,
      page.data.map((p) => p.id),
      includeArchived,
    );
    return {
      data: page.data.map((p) =>
        toProductDto(
          p,
          variants.filter((v) => v.product_id === p.id),
        ),
      ),
      next_cursor: page.next_cursor,
    };
  });
}

/** Changes a product's name, description or category; audits what changed. Archived products may be edited. */
export function updateProduct(
  db: Database,
  ctx: RequestContext,
  id: string,
  input: UpdateProductInput,
): Promise<ProductDto> {
  const name = input.name === undefined ? undefined : cleanName('name', input.name);
  return tenantTx(db, ctx, async (tx) => {
    const before = await existingProduct(tx, id, 'update');
    const categoryId =
      input.category_id === undefined || input.category_id === before.category_id
        ? undefined
        : await usableCategory(tx, 'category_id', input.category_id);
    const after = await writes.updateProduct(tx, ctx, before, {
      name,
      description: input.description,
      category_id: categoryId,
    });
    return productView(tx, after);
  });
}

/**
 * Archives a product and its active variants (each gets `variant.archived`): it leaves the lists and the till
 * refuses it, while past orders keep pointing at it. Archiving an archived product changes nothing.
 */
export function archiveProduct(db: Database, ctx: RequestContext, id: string): Promise<ProductDto> {
  return tenantTx(db, ctx, async (tx) => {
    const before = await existingProduct(tx, id, 'update');
    if (before.archived_at !== null) return productView(tx, before);
    const variantIds = await archiveVariantsOfProduct(tx, id);
    const after = await repo.archiveProduct(tx, id);
    for (const variantId of variantIds) {
      await recordAudit(tx, ctx, {
        action: 'variant.archived',
        entityType: 'variant',
        entityId: variantId,
        data: { product_id: id, reason: 'product_archived' },
      });
    }
    await recordAudit(tx, ctx, {
      action: 'product.archived',
      entityType: 'product',
      entityId: id,
      data: { name: after.name, archived_variant_ids: variantIds },
    });
    return productView(tx, after);
  });
}

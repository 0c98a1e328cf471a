import type { TaxCode } from '@novapos/domain';
import type { Queryable } from '../../platform/db/database.ts';
import { requireTenant, type RequestContext } from '../../platform/context.ts';

export interface VariantRow {
  id: string;
  tenant_id: string;
  product_id: string;
  sku: string;
  name: string | null;
  price_cents: number;
  tax_code: TaxCode;
  /** Sorted. */
  barcodes: string[];
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A variant with its product's name and state, as lookups and imports need it. */
export interface VariantWithProduct extends VariantRow {
  product_name: string;
  product_archived_at: Date | null;
}

/** The editable columns of a variant; undefined leaves a column alone. */
export interface VariantPatch {
  sku?: string | undefined;
  name?: string | null | undefined;
  price_cents?: number | undefined;
  tax_code?: TaxCode | undefined;
}

const WITH_BARCODES = `v.*, ARRAY(SELECT b.barcode FROM variant_barcodes b WHERE b.variant_id = v.id
                                   ORDER BY b.barcode) AS barcodes`;

/** Inserts variants in one statement; returns them (without barcodes) in input order. */
export async function insertVariants(
  tx: Queryable,
  ctx: RequestContext,
  vs: readonly {
    id: string;
    productId: string;
    sku: string;
    name: string | null;
    priceCents: number;
    taxCode: TaxCode;
  }[],
): Promise<VariantRow[]> {
  if (vs.length === 0) return [];
  const { rows } = await tx.query<VariantRow>(
    `INSERT INTO product_variants (id, tenant_id, product_id, sku, name, price_cents, tax_code)
     SELECT v.id, $1, v.product_id, v.sku, v.name, v.price_cents, v.tax_code
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::bigint[], $7::text[])
            AS v(id, product_id, sku, name, price_cents, tax_code)
     RETURNING *, '{}'::text[] AS barcodes`,
    [
      requireTenant(ctx),
      vs.map((v) => v.id),
      vs.map((v) => v.productId),
      vs.map((v) => v.sku),
      vs.map((v) => v.name),
      vs.map((v) => v.priceCents),
      vs.map((v) => v.taxCode),
    ],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return vs.map((v) => byId.get(v.id) as VariantRow);
}

/** Adds barcodes to variants in one statement. */
export async function insertBarcodes(
  tx: Queryable,
  ctx: RequestContext,
  pairs: readonly { variantId: string; barcode: string }[],
): Promise<void> {
  if (pairs.length === 0) return;
  await tx.query(
    `INSERT INTO variant_barcodes (tenant_id, barcode, variant_id)
     SELECT $1, b.barcode, b.variant_id FROM unnest($2::text[], $3::uuid[]) AS b(barcode, variant_id)`,
    [requireTenant(ctx), pairs.map((p) => p.barcode), pairs.map((p) => p.variantId)],
  );
}

/** Replaces the barcodes of a variant with `barcodes`. */
export async function setBarcodes(
  tx: Queryable,
  ctx: RequestContext,
  variantId: string,
  barcodes: readonly string[],
): Promise<void> {
  await tx.query('DELETE FROM variant_barcodes WHERE variant_id = $1', [variantId]);
  if (barcodes.length === 0) return;
  await tx.query('INSERT INTO variant_barcodes (tenant_id, barcode, variant_id) SELECT $1, unnest($2::text[]), $3', [
    requireTenant(ctx),
    barcodes,
    variantId,
  ]);
}

export async function findVariant(
  tx: Queryable,
  id: string,
  lock: 'none' | 'update' = 'none',
): Promise<VariantRow | undefined> {
  const { rows } = await tx.query<VariantRow>(
    `SELECT ${WITH_BARCODES} FROM product_variants v WHERE v.id = $1${lock === 'update' ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

/** Variants of the given products, in (product, id) order; archived ones only with `includeArchived`. */
export async function variantsOfProducts(
  tx: Queryable,
  productIds: readonly string[],
  includeArchived: boolean,
): Promise<VariantRow[]> {
  if (productIds.length === 0) return [];
  const { rows } = await tx.query<VariantRow>(
    `SELECT ${WITH_BARCODES} FROM product_variants v
      WHERE v.product_id = ANY($1::uuid[]) AND ($2::boolean OR v.archived_at IS NULL)
      ORDER BY v.product_id, v.id`,
    [productIds, includeArchived],
  );
  return rows;
}

export async function updateVariant(tx: Queryable, id: string, patch: VariantPatch): Promise<void> {
  // Column names come from this fixed list, never from input.
  const entries = (['sku', 'name', 'price_cents', 'tax_code'] as const)
    .filter((c) => patch[c] !== undefined)
    .map((c) => [c, patch[c]] as const);
  const sets = entries.map(([c], i) => `${c} = $${i + 2}`);
  await tx.query(`UPDATE product_variants SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`, [
    id,
    ...entries.map(([, v]) => v),
  ]);
}

export async function archiveVariant(tx: Queryable, id: string): Promise<void> {
  await tx.query('UPDATE product_variants SET archived_at = now(), updated_at = now() WHERE id = $1', [id]);
}

/** Archives the active variants of a product; returns their ids in id order. */
export async function archiveVariantsOfProduct(tx: Queryable, productId: string): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `UPDATE product_variants SET archived_at = now(), updated_at = now()
      WHERE product_id = $1 AND archived_at IS NULL RETURNING id`,
    [productId],
  );
  return rows.map((r) => r.id).sort();
}

/** Which of `skus` are taken, and by which variant. */
export async function skuOwners(tx: Queryable, skus: readonly string[]): Promise<Map<string, string>> {
  if (skus.length === 0) return new Map();
  const { rows } = await tx.query<{ sku: string; id: string }>(
    'SELECT sku, id FROM product_variants WHERE sku = ANY($1::text[])',
    [skus],
  );
  return new Map(rows.map((r) => [r.sku, r.id]));
}

/** Which of `barcodes` are taken, and by which variant (with its SKU, for messages). */
export async function barcodeOwners(
  tx: Queryable,
  barcodes: readonly string[],
): Promise<Map<string, { variant_id: string; sku: string }>> {
  if (barcodes.length === 0) return new Map();
  const { rows } = await tx.query<{ barcode: string; variant_id: string; sku: string }>(
    `SELECT b.barcode, b.variant_id, v.sku FROM variant_barcodes b JOIN product_variants v ON v.id = b.variant_id
      WHERE b.barcode = ANY($1::text[])`,
    [barcodes],
  );
  return new Map(rows.map((r) => [r.barcode, { variant_id: r.variant_id, sku: r.sku }]));
}

/** Variants by SKU with their product's name and state; `lock` takes the variant rows for update. */
export async function findVariantsBySku(
  tx: Queryable,
  skus: readonly string[],
  lock: boolean,
): Promise<VariantWithProduct[]> {
  if (skus.length === 0) return [];
  const { rows } = await tx.query<VariantWithProduct>(
    `SELECT ${WITH_BARCODES}, p.name AS product_name, p.archived_at AS product_archived_at
       FROM product_variants v JOIN products p ON p.id = v.product_id
      WHERE v.sku = ANY($1::text[])${lock ? ' FOR UPDATE OF v' : ''}`,
    [skus],
  );
  return rows;
}

/** The variant an exact barcode names, with its product's name and state. */
export async function findVariantByBarcode(tx: Queryable, barcode: string): Promise<VariantWithProduct | undefined> {
  const { rows } = await tx.query<VariantWithProduct>(
    `SELECT ${WITH_BARCODES}, p.name AS product_name, p.archived_at AS product_archived_at
       FROM variant_barcodes lb
       JOIN product_variants v ON v.id = lb.variant_id
       JOIN products p ON p.id = v.product_id
      WHERE lb.barcode = $1`,
    [barcode],
  );
  return rows[0];
}

import type { TaxCode } from '@novapos/domain';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { displayName } from './catalog.shared.ts';

/** How a caller names what it sells: a variant id, a SKU, or a product id (when it has one active variant). */
export interface SaleItemRef {
  readonly sku?: string | undefined;
  readonly product_id?: string | undefined;
  readonly variant_id?: string | undefined;
}

/** A sellable variant with the facts an order line locks in. */
export interface SaleItem {
  readonly variant_id: string;
  readonly product_id: string;
  readonly sku: string;
  /** The product's name, plus " – " and the variant's name when it has one. */
  readonly name: string;
  readonly unit_price_cents: number;
  readonly tax_code: TaxCode;
  /** The variant or its product is archived: the caller decides (orders answer 422 `product_archived`). */
  readonly archived: boolean;
}

interface CandidateRow {
  ord: number;
  variant_id: string | null;
  product_id: string;
  sku: string;
  product_name: string;
  variant_name: string | null;
  price_cents: number;
  tax_code: TaxCode;
  archived: boolean;
}

/*
 * One statement for all refs: each ref is one row of unnest(...) WITH ORDINALITY, joined laterally to the
 * variants it names. Each branch of the UNION is an index lookup (primary key, (tenant, sku), product): a ref
 * names a variant by id first, else by SKU, else by product; every field it gives must agree.
 */
const RESOLVE_SQL = `
  SELECT r.ord::int AS ord, c.id AS variant_id, c.product_id, c.sku, p.name AS product_name, c.name AS variant_name,
         c.price_cents, c.tax_code, (c.archived_at IS NOT NULL OR p.archived_at IS NOT NULL) AS archived
    FROM unnest($1::text[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS r(sku, product_id, variant_id, ord)
    LEFT JOIN LATERAL (
      SELECT v.* FROM product_variants v
       WHERE r.variant_id IS NOT NULL AND v.id = r.variant_id
      UNION ALL
      SELECT v.* FROM product_variants v
       WHERE r.variant_id IS NULL AND r.sku IS NOT NULL AND v.tenant_id = app_current_tenant() AND v.sku = r.sku
      UNION ALL
      SELECT v.* FROM product_variants v
       WHERE r.variant_id IS NULL AND r.sku IS NULL AND v.product_id = r.product_id
    ) c ON (r.sku IS NULL OR c.sku = r.sku) AND (r.product_id IS NULL OR c.product_id = r.product_id)
    LEFT JOIN products p ON p.id = c.product_id
   ORDER BY r.ord, c.archived_at NULLS FIRST, c.id`;

const WHAT = { variant_id: 'variant', sku: 'SKU', product_id: 'product' } as const;

function refField(ref: SaleItemRef): 'variant_id' | 'sku' | 'product_id' {
  if (ref.variant_id !== undefined) return 'variant_id';
  if (ref.sku !== undefined) return 'sku';
  return 'product_id';
}

/**
 * Resolves what an order sells, in input order, in one query. A ref naming nothing (or naming fields that
 * disagree) makes it throw 422 `unknown_sku` with one error per unknown ref (`items[2].sku`) and
 * `unknown: [the values]`; a product id with several active variants is 400 `validation_failed` asking for
 * variant_id or sku. A product whose variants are all archived resolves only when it has exactly one. Archived
 * items are returned with `archived: true`: the caller decides. `field` prefixes the field names (default
 * `items`).
 */
export async function resolveSaleItems(
  tx: Queryable,
  refs: readonly SaleItemRef[],
  options: { field?: string } = {},
): Promise<SaleItem[]> {
  const prefix = options.field ?? 'items';
  if (refs.length === 0) return [];
  // A malformed id names nothing; it must not reach the ::uuid cast, which would abort the caller's transaction.
  const usable = refs.map(
    (r) => (r.variant_id === undefined || isUuid(r.variant_id)) && (r.product_id === undefined || isUuid(r.product_id)),
  );
  const { rows } = await tx.query<CandidateRow>(RESOLVE_SQL, [
    refs.map((r, i) => (usable[i] === true ? (r.sku ?? null) : null)),
    refs.map((r, i) => (usable[i] === true ? (r.product_id ?? null) : null)),
    refs.map((r, i) => (usable[i] === true ? (r.variant_id ?? null) : null)),
  ]);
  const candidates = refs.map((): CandidateRow[] => []);
  for (const row of rows) if (row.variant_id !== null) candidates[row.ord - 1]?.push(row);

  const unknown: FieldError[] = [];
  const unknownValues: string[] = [];
  const ambiguous: FieldError[] = [];
  const items: SaleItem[] = [];
  refs.forEach((ref, i) => {
    const field = refField(ref);
    const all = candidates[i] ?? [];
    // A product id names its one active variant; with none active, its only variant.
    const active = all.filter((c) => !c.archived);
    const pool = active.length > 0 ? active : all;
    const chosen = pool[0];
    if (chosen === undefined || usable[i] !== true) {
      unknown.push({ field: `${prefix}[${i}].${field}`, message: `names no ${WHAT[field]} of this tenant` });
      unknownValues.push(ref[field] ?? '');
      return;
    }
    if (pool.length > 1) {
      ambiguous.push({
        field: `${prefix}[${i}].product_id`,
        message: `the product has ${pool.length} variants: send variant_id or sku`,
      });
      return;
    }
    items.push({
      variant_id: chosen.variant_id as string,
      product_id: chosen.product_id,
      sku: chosen.sku,
      name: displayName(chosen.product_name, chosen.variant_name),
      unit_price_cents: chosen.price_cents,
      tax_code: chosen.tax_code,
      archived: chosen.archived,
    });
  });
  if (unknown.length > 0) {
    throw new AppError('unknown_sku', `${unknown.length} item(s) name nothing in the catalog`, {
      errors: unknown,
      extra: { unknown: unknownValues },
    });
  }
  if (ambiguous.length > 0) {
    throw new AppError('validation_failed', 'A product with several variants needs variant_id or sku', {
      errors: ambiguous,
    });
  }
  return items;
}

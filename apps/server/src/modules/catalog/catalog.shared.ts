import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import type { CategoryRow } from './categories.repo.ts';
import type { CategoryDto } from './categories.schemas.ts';
import type { LookupDto, ProductDto, VariantDto } from './catalog.schemas.ts';
import type { ProductRow } from './products.repo.ts';
import type { VariantRow, VariantWithProduct } from './variants.repo.ts';

export function productNotFound(): AppError {
  return new AppError('product_not_found', 'No product with this id');
}

export function variantNotFound(): AppError {
  return new AppError('variant_not_found', 'No variant with this id');
}

export function categoryNotFound(field?: string): AppError {
  return new AppError('category_not_found', 'No category with this id', {
    ...(field === undefined ? {} : { errors: [{ field, message: 'is not a category of this tenant' }] }),
  });
}

export function skuTaken(field: string, sku: string, why = 'is already used by another variant'): AppError {
  return new AppError('sku_taken', `SKU ${sku} ${why}`, {
    errors: [{ field, message: `${why} (SKUs are unique in the tenant; archived variants count)` }],
  });
}

export function barcodeTaken(field: string, barcode: string, why: string): AppError {
  return new AppError('barcode_taken', `Barcode ${barcode} ${why}`, { errors: [{ field, message: why }] });
}

/**
 * The database's verdict on a duplicate the service's own checks did not see (a concurrent request won the race)
 * as the problem a client can act on. The field is not known here, so the problem names the kind of value.
 */
export function conflictOf(err: unknown): unknown {
  if (isUniqueViolation(err, 'product_variants_tenant_id_sku_key')) {
    return new AppError('sku_taken', 'A SKU in this request was just taken by another request', { cause: err });
  }
  if (isUniqueViolation(err, 'variant_barcodes_pkey')) {
    return new AppError('barcode_taken', 'A barcode in this request was just taken by another request', {
      cause: err,
    });
  }
  if (isUniqueViolation(err, 'categories_name_unique')) {
    return new AppError('name_taken', 'Another category of this tenant already has this name', {
      errors: [{ field: 'name', message: 'is already used by another category (archived ones count)' }],
      cause: err,
    });
  }
  return err;
}

/** Runs a write and turns a unique violation into its problem. */
export async function mapConflicts<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    throw conflictOf(err);
  }
}

/** A display name as stored: trimmed, so " Tea " and "Tea" are one name; blank is refused. */
export function cleanName(field: string, value: string): string {
  const name = value.trim();
  if (name === '') throw invalidField(field, 'must not be blank');
  return name;
}

/** `Tea – Large`: the product's name with the variant's, as receipts and order lines show it. */
export function displayName(productName: string, variantName: string | null): string {
  return variantName === null ? productName : `${productName} – ${variantName}`;
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export function toCategoryDto(row: CategoryRow): CategoryDto {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    archived_at: iso(row.archived_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toVariantDto(row: VariantRow): VariantDto {
  return {
    id: row.id,
    product_id: row.product_id,
    sku: row.sku,
    name: row.name,
    price_cents: row.price_cents,
    tax_code: row.tax_code,
    barcodes: row.barcodes,
    archived_at: iso(row.archived_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toProductDto(row: ProductRow, variants: readonly VariantRow[]): ProductDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    category_id: row.category_id,
    archived_at: iso(row.archived_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    variants: variants.map(toVariantDto),
  };
}

export function toLookupDto(row: VariantWithProduct): LookupDto {
  return {
    ...toVariantDto(row),
    product_name: row.product_name,
    archived: row.archived_at !== null || row.product_archived_at !== null,
  };
}

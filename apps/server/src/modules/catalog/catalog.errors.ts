import type { ErrorStatusMap } from '../../platform/errors.ts';

/** The error codes of catalog: categories, products, variants and barcodes. Composed with every other owner's in apps/server/src/errors.ts. */
export const CATALOG_ERRORS = {
  product_not_found: 404,
  variant_not_found: 404,
  category_not_found: 404,
  category_order_mismatch: 409,
  sku_taken: 409,
  barcode_taken: 409,
  unknown_sku: 422,
  unknown_barcode: 422,
  product_archived: 422,
} as const satisfies ErrorStatusMap;

declare module '../../platform/errors.ts' {
  interface ErrorMaps {
    catalog: typeof CATALOG_ERRORS;
  }
}

import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { BARCODE_SEPARATOR, CSV_COLUMNS, type CsvColumn } from './catalog-csv.rows.ts';
import { categoryNames } from './categories.repo.ts';
import { activeProductsAfter } from './products.repo.ts';
import { variantsOfProducts } from './variants.repo.ts';

/** Products per page read from the database; each page is its own short transaction. */
const EXPORT_PAGE = 500;

type CsvRecord = Record<CsvColumn, string | number>;

/** The active catalog as CSV records, in product then variant order (creation order), one page at a time. */
async function* catalogRecords(db: Database, ctx: RequestContext): AsyncGenerator<CsvRecord> {
  let after: string | null = null;
  for (;;) {
    const cursor = after;
    const page = await tenantTx(db, ctx, async (tx) => {
      const products = await activeProductsAfter(tx, cursor, EXPORT_PAGE);
      const variants = await variantsOfProducts(
        tx,
        products.map((p) => p.id),
        false,
      );
      const categoryIds = [...new Set(products.flatMap((p) => (p.category_id === null ? [] : [p.category_id])))];
      const categories = await categoryNames(tx, categoryIds);
      const byId = new Map(products.map((p) => [p.id, p]));
      const records = variants.map((v): CsvRecord => {
        const product = byId.get(v.product_id);
        return {
          product_name: product?.name ?? '',
          category: product?.category_id == null ? '' : (categories.get(product.category_id) ?? ''),
          sku: v.sku,
          variant_name: v.name ?? '',
          price_cents: v.price_cents,
          tax_code: v.tax_code,
          barcodes: v.barcodes.join(BARCODE_SEPARATOR),
        };
      });
      return { records, last: products.length === EXPORT_PAGE ? (products.at(-1)?.id ?? null) : null };
    });
    yield* page.records;
    if (page.last === null) return;
    after = page.last;
  }
}

/**
 * The active catalog of the context's tenant as a CSV stream in the import format (docs/catalog.md): importing
 * it into an empty tenant gives the same catalog. Products without an active variant have no row. Pages are read
 * as the consumer pulls, so a slow client holds no transaction open.
 */
export function exportCatalogCsv(db: Database, ctx: RequestContext): Readable {
  const csv = stringify({ header: true, columns: [...CSV_COLUMNS] });
  // pipeline destroys `csv` with the error if reading fails; the consumer of `csv` sees it.
  pipeline(Readable.from(catalogRecords(db, ctx)), csv).catch(() => undefined);
  return csv;
}

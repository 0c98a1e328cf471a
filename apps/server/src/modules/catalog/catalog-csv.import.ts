import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { newImportState, planRow, type ImportState, type RowPlan, type Snapshot } from './catalog-csv.plan.ts';
import { parseRow, readHeader, type CsvHeader, type ImportRow, type RowError } from './catalog-csv.rows.ts';
import { applyBatch } from './catalog-csv.apply.ts';
import { findCategoriesByKey } from './categories.repo.ts';
import { findActiveProductsByName, findProductsByIds, type ProductRow } from './products.repo.ts';
import { barcodeOwners, findVariantsBySku } from './variants.repo.ts';

/** Rows per transaction of a real import (and per snapshot of a dry run). */
export const IMPORT_BATCH_ROWS = 500;
/** The report lists at most this many row errors; the counts stay exact. */
export const MAX_REPORTED_ERRORS = 1000;
/** A record longer than this (in characters) stops the import: no catalog row is that long. */
const MAX_RECORD_CHARS = 100_000;

export interface ImportOptions {
  /** Validate and count, write nothing. */
  readonly dryRun: boolean;
  /** Write the good rows even when some rows have errors (default: any row error means nothing is written). */
  readonly allowPartial: boolean;
  readonly batchRows?: number;
  /** Told after each batch: which pass, rows read so far, bytes of the file read so far. */
  readonly onProgress?: (p: { phase: 'validate' | 'write'; rows: number; bytes: number }) => void;
}

export interface ImportCounts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
  products_created: number;
  categories_created: number;
}

/** What an import did (or, in a dry run, would do). */
export interface ImportReport {
  dry_run: boolean;
  /** Whether anything was written. */
  written: boolean;
  counts: ImportCounts;
  errors: RowError[];
  errors_truncated: boolean;
}

async function loadSnapshot(tx: Tx, rows: readonly ImportRow[], lock: boolean): Promise<Snapshot> {
  const skus = rows.map((r) => r.sku);
  const variants = await findVariantsBySku(tx, skus, lock);
  const byName = await findActiveProductsByName(tx, [...new Set(rows.map((r) => r.productName))]);
  const ofVariants = await findProductsByIds(tx, [...new Set(variants.map((v) => v.product_id))]);
  const categoryKeys = rows.flatMap((r) => (typeof r.category === 'string' ? [r.category.toLowerCase()] : []));
  const categories = await findCategoriesByKey(tx, [...new Set(categoryKeys)]);
  const productsByName = new Map<string, ProductRow[]>();
  for (const p of byName) productsByName.set(p.name, [...(productsByName.get(p.name) ?? []), p]);
  return {
    variantsBySku: new Map(variants.map((v) => [v.sku, v])),
    barcodeOwners: await barcodeOwners(tx, [...new Set(rows.flatMap((r) => r.barcodes ?? []))]),
    productsByName,
    productsById: new Map([...byName, ...ofVariants].map((p) => [p.id, p])),
    categoriesByKey: new Map(categories.map((c) => [c.name.toLowerCase(), c])),
  };
}

/** Reads the CSV record by record with its 1-based row number (the header is row 1) and the bytes read so far. */
async function* records(source: Readable): AsyncGenerator<{ record: string[]; row: number; bytes: number }> {
  const parser = source.pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_CHARS,
    }),
  );
  // A read error of the source (a vanished upload) must end the parse too.
  source.once('error', (err) => parser.destroy(err));
  let row = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
      row++;
      yield { record: item.record, row, bytes: item.info.bytes };
    }
  } catch (err) {
    if (err instanceof CsvError) {
      throw new AppError('validation_failed', `The file is not valid CSV after row ${row}: ${err.message}`, {
        errors: [{ field: `rows[${row + 1}]`, message: err.message }],
      });
    }
    throw err;
  } finally {
    // Stopping early (a bad header) must not leave the file open.
    source.destroy();
  }
}

function countPlan(report: ImportReport, plan: RowPlan): void {
  report.counts.rows++;
  if (plan.kind === 'create') report.counts.created++;
  else if (plan.kind === 'update') report.counts.updated++;
  else if (plan.kind === 'unchanged') report.counts.unchanged++;
  else addErrors(report, plan.errors);
}

function addErrors(report: ImportReport, errors: readonly RowError[]): void {
  if (errors.length === 0) return;
  report.counts.errors++;
  for (const e of errors) {
    if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push(e);
    else report.errors_truncated = true;
  }
}

/**
 * One pass over the file. `write: false` plans each batch in a read-only transaction (the dry run, and the
 * validation before a real run); `write: true` plans and applies each batch in its own transaction, with the
 * variants it touches locked.
 */
async function runPass(
  db: Database,
  ctx: RequestContext,
  source: Readable,
  options: ImportOptions & { write: boolean },
): Promise<ImportReport> {
  const report: ImportReport = {
    dry_run: !options.write,
    written: false,
    counts: { rows: 0, created: 0, updated: 0, unchanged: 0, errors: 0, products_created: 0, categories_created: 0 },
    errors: [],
    errors_truncated: false,
  };
  const state: ImportState = newImportState();
  const batchRows = options.batchRows ?? IMPORT_BATCH_ROWS;
  let header: CsvHeader | undefined;
  let batch: ImportRow[] = [];
  let bytes = 0;

  const flush = async (): Promise<void> => {
    const rows = batch;
    batch = [];
    if (rows.length === 0) return;
    const plans = await tenantTx(db, ctx, async (tx) => {
      const snapshot = await loadSnapshot(tx, rows, options.write);
      const planned = rows.map((r) => planRow(r, snapshot, state));
      if (options.write) {
        const bad = planned.filter((p) => p.kind === 'error');
        if (bad.length > 0 && !options.allowPartial) throw raced(report, bad);
        await applyBatch(tx, ctx, planned);
      }
      return planned;
    });
    for (const plan of plans) countPlan(report, plan);
    if (options.write) report.written ||= plans.some((p) => p.kind === 'create' || p.kind === 'update');
    options.onProgress?.({ phase: options.write ? 'write' : 'validate', rows: report.counts.rows, bytes });
  };

  for await (const { record, row, bytes: read } of records(source)) {
    bytes = read;
    if (header === undefined) {
      header = readHeader(record);
      continue;
    }
    const parsed = parseRow(header, record, row);
    if (parsed.ok) batch.push(parsed.value);
    else {
      report.counts.rows++;
      addErrors(report, parsed.errors);
    }
    if (batch.length >= batchRows) await flush();
  }
  if (header === undefined) {
    throw new AppError('validation_failed', 'The file is empty: it needs a header row', {
      errors: [{ field: 'header', message: 'is missing' }],
    });
  }
  await flush();
  report.counts.products_created = state.productsCreated;
  report.counts.categories_created = state.categoriesCreated;
  // Format errors are found while reading, the others per batch: show them in file order.
  report.errors.sort((a, b) => a.row - b.row);
  return report;
}

/** The catalog changed between the validation pass and the write: earlier batches stay, this one is undone. */
function raced(report: ImportReport, bad: readonly RowPlan[]): AppError {
  const errors = bad.flatMap((p) => (p.kind === 'error' ? p.errors : []));
  const first = errors[0];
  return new AppError(
    'conflict',
    `The catalog changed during the import at row ${first?.row ?? '?'}: the ${report.counts.rows} rows before this ` +
      'batch were written, this batch was not. Run the import again; rows already written come out unchanged.',
    { errors: errors.map((e) => ({ field: `rows[${e.row}].${e.field}`, message: e.message })) },
  );
}

/**
 * Imports a catalog CSV (docs/catalog.md). `open` opens the file; it is read once for a dry run, twice otherwise:
 * a validation pass, then (only when no row has an error, or `allowPartial`) a writing pass in batches of 500 rows
 * per transaction. The file is streamed; memory holds one batch and the SKUs and barcodes seen so far.
 */
export async function importCatalogCsv(
  db: Database,
  ctx: RequestContext,
  open: () => Readable,
  options: ImportOptions,
): Promise<ImportReport> {
  const checked = await runPass(db, ctx, open(), { ...options, write: false });
  if (options.dryRun) return checked;
  if (checked.counts.errors > 0 && !options.allowPartial) return { ...checked, dry_run: false };
  return runPass(db, ctx, open(), { ...options, write: true });
}

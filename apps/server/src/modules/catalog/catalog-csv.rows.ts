import { TAX_CODES, type TaxCode } from '@novapos/domain';
import { AppError } from '../../platform/errors.ts';
import { textProblem } from '../../platform/http/schemas.ts';
import { BARCODE_PATTERN, MAX_BARCODES_PER_VARIANT, MAX_PRICE_CENTS, SKU_PATTERN } from './catalog.schemas.ts';

// The CSV format of the catalog, one row per variant (docs/catalog.md). Pure: no I/O, no database.

export const CSV_COLUMNS = [
  'product_name',
  'category',
  'sku',
  'variant_name',
  'price_cents',
  'tax_code',
  'barcodes',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED: readonly CsvColumn[] = ['product_name', 'sku', 'price_cents'];
/** Separates the barcodes of a variant in one cell. */
export const BARCODE_SEPARATOR = '|';

/** Where each known column sits in a record; a column the file does not have is absent. */
export type CsvHeader = Partial<Record<CsvColumn, number>>;

/** One problem with one row. `row` counts the header as row 1, as a spreadsheet shows it. */
export interface RowError {
  readonly row: number;
  readonly field: string;
  readonly message: string;
}

/**
 * One valid row. For optional columns, `undefined` means the file has no such column (an existing variant keeps
 * its value) and an empty cell means "none" (no category, no variant name, no barcodes, tax code STD).
 */
export interface ImportRow {
  readonly row: number;
  readonly productName: string;
  readonly category: string | null | undefined;
  readonly sku: string;
  readonly variantName: string | null | undefined;
  readonly priceCents: number;
  readonly taxCode: TaxCode | undefined;
  readonly barcodes: readonly string[] | undefined;
}

function headerError(message: string): AppError {
  return new AppError('validation_failed', `CSV header: ${message}`, { errors: [{ field: 'header', message }] });
}

/** Reads the header row: known column names (any case, surrounding spaces ignored), each once, the required ones. */
export function readHeader(record: readonly string[]): CsvHeader {
  const header: CsvHeader = {};
  record.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      throw headerError(`unknown column "${raw}"; the columns are ${CSV_COLUMNS.join(', ')}`);
    }
    const column = name as CsvColumn;
    if (header[column] !== undefined) throw headerError(`column ${column} appears twice`);
    header[column] = i;
  });
  const missing = REQUIRED.filter((c) => header[c] === undefined);
  if (missing.length > 0) throw headerError(`missing column(s) ${missing.join(', ')}`);
  return header;
}

const SKU_RE = new RegExp(SKU_PATTERN);
const BARCODE_RE = new RegExp(BARCODE_PATTERN);
const DIGITS_RE = /^\d+$/;

/** A cell's value, or why it is wrong. */
type Checked<T> = { ok: true; value: T } | { ok: false; message: string };
const good = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = (message: string): Checked<never> => ({ ok: false, message });

/** Optional text: undefined without the column, null when empty, else the trimmed text (at most `max`). */
function optionalText(v: string | undefined, max: number): Checked<string | null | undefined> {
  if (v === undefined || v === '') return good(v === undefined ? undefined : null);
  return v.length > max ? bad(`is longer than ${max} characters`) : text(v);
}

function requiredText(v: string | undefined, max: number): Checked<string> {
  if (v === undefined || v === '') return bad('is required');
  return v.length > max ? bad(`is longer than ${max} characters`) : text(v);
}

/** A cell is text like any JSON field: no control characters (a NUL would fail the database write). */
function text(v: string): Checked<string> {
  const problem = textProblem(v);
  return problem === undefined ? good(v) : bad(problem);
}

function checkSku(v: string | undefined): Checked<string> {
  return v !== undefined && SKU_RE.test(v) ? good(v) : bad('must be 1 to 64 printable ASCII characters, no spaces');
}

function checkPrice(v: string | undefined): Checked<number> {
  if (v === undefined || v === '') return bad('is required');
  if (v.startsWith('-')) return bad('must be >= 0');
  if (!DIGITS_RE.test(v)) return bad('must be a whole number of minor units (e.g. 1250 for 12.50)');
  const n = Number(v);
  return n > MAX_PRICE_CENTS ? bad(`must be <= ${MAX_PRICE_CENTS}`) : good(n);
}

function checkTaxCode(v: string | undefined): Checked<TaxCode | undefined> {
  if (v === undefined) return good(undefined);
  const upper = v === '' ? 'STD' : v.toUpperCase();
  return (TAX_CODES as readonly string[]).includes(upper)
    ? good(upper as TaxCode)
    : bad(`must be one of ${TAX_CODES.join(', ')}`);
}

function checkBarcodes(v: string | undefined): Checked<string[] | undefined> {
  if (v === undefined) return good(undefined);
  if (v === '') return good([]);
  const list = v.split(BARCODE_SEPARATOR).map((b) => b.trim());
  const wrong = list.find((b) => !BARCODE_RE.test(b));
  if (wrong !== undefined) return bad(`"${wrong}" is not a barcode (1 to 64 of 0-9, A-Z, a-z and -)`);
  if (list.length > MAX_BARCODES_PER_VARIANT) return bad(`has more than ${MAX_BARCODES_PER_VARIANT} barcodes`);
  if (new Set(list).size !== list.length) return bad('lists a barcode twice');
  return good(list);
}

/** Validates one record against the header; every bad field of the row is reported, not only the first. */
export function parseRow(
  header: CsvHeader,
  record: readonly string[],
  row: number,
): { ok: true; value: ImportRow } | { ok: false; errors: RowError[] } {
  const width = Object.keys(header).length;
  if (record.length !== width) {
    return {
      ok: false,
      errors: [{ row, field: 'row', message: `has ${record.length} fields; the header has ${width}` }],
    };
  }
  const cell = (c: CsvColumn): string | undefined => {
    const i = header[c];
    return i === undefined ? undefined : (record[i] ?? '').trim();
  };
  const checked = {
    product_name: requiredText(cell('product_name'), 200),
    category: optionalText(cell('category'), 200),
    sku: checkSku(cell('sku')),
    variant_name: optionalText(cell('variant_name'), 200),
    price_cents: checkPrice(cell('price_cents')),
    tax_code: checkTaxCode(cell('tax_code')),
    barcodes: checkBarcodes(cell('barcodes')),
  };
  const { product_name, category, sku, variant_name, price_cents, tax_code, barcodes } = checked;
  if (product_name.ok && category.ok && sku.ok && variant_name.ok && price_cents.ok && tax_code.ok && barcodes.ok) {
    return {
      ok: true,
      value: {
        row,
        productName: product_name.value,
        category: category.value,
        sku: sku.value,
        variantName: variant_name.value,
        priceCents: price_cents.value,
        taxCode: tax_code.value,
        barcodes: barcodes.value,
      },
    };
  }
  const errors: RowError[] = [];
  for (const [field, result] of Object.entries(checked)) {
    if (!result.ok) errors.push({ row, field, message: result.message });
  }
  return { ok: false, errors };
}

import type { CategoryRow } from './categories.repo.ts';
import type { ImportRow, RowError } from './catalog-csv.rows.ts';
import type { NewVariant, VariantChanges } from './catalog.writes.ts';
import type { ProductRow } from './products.repo.ts';
import type { VariantWithProduct } from './variants.repo.ts';

// Decides what each row of an import does, against what the database holds (a snapshot per batch) and what
// earlier rows of the same file decided (the state). Pure: the dry run and the real run plan alike.

/** The catalog rows a batch touches, read at the start of the batch. */
export interface Snapshot {
  readonly variantsBySku: ReadonlyMap<string, VariantWithProduct>;
  readonly barcodeOwners: ReadonlyMap<string, { variant_id: string; sku: string }>;
  /** Active products by exact name. */
  readonly productsByName: ReadonlyMap<string, readonly ProductRow[]>;
  readonly productsById: ReadonlyMap<string, ProductRow>;
  /** Categories by lower-cased name. */
  readonly categoriesByKey: ReadonlyMap<string, CategoryRow>;
}

/** What earlier rows of the file decided. One state per pass over the file. */
export interface ImportState {
  readonly skuRows: Map<string, number>;
  readonly barcodeRows: Map<string, number>;
  /** Product name → the category key (or null) its first valid row asked for, and that row. */
  readonly productCategory: Map<string, { key: string | null; row: number }>;
  readonly plannedProducts: Set<string>;
  readonly plannedCategories: Set<string>;
  /** Existing products whose category change an earlier row planned. */
  readonly recategorised: Set<string>;
  productsCreated: number;
  categoriesCreated: number;
}

export function newImportState(): ImportState {
  return {
    skuRows: new Map(),
    barcodeRows: new Map(),
    productCategory: new Map(),
    plannedProducts: new Set(),
    plannedCategories: new Set(),
    recategorised: new Set(),
    productsCreated: 0,
    categoriesCreated: 0,
  };
}

export type CategoryRef = { kind: 'existing'; id: string } | { kind: 'new'; key: string; name: string };
export type ProductRef = { kind: 'existing'; product: ProductRow } | { kind: 'new'; name: string };

/** What a product's row wants of its product: its category (undefined: leave it), and whether it must change. */
export interface ProductIntent {
  readonly ref: ProductRef;
  readonly category: CategoryRef | null | undefined;
  readonly recategorise: boolean;
}

export type RowPlan =
  | { kind: 'error'; row: number; errors: RowError[] }
  | { kind: 'unchanged'; row: number }
  | { kind: 'create'; row: number; product: ProductIntent; variant: NewVariant }
  | { kind: 'update'; row: number; product: ProductIntent; before: VariantWithProduct; changes: VariantChanges };

export const categoryKey = (name: string): string => name.toLowerCase();

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return a.length === b.length && b.every((x) => set.has(x));
}

/** Registers the row's SKU and barcodes in the file, reporting any used by an earlier row. */
function checkInFile(r: ImportRow, state: ImportState, fail: (field: string, message: string) => void): void {
  const firstSku = state.skuRows.get(r.sku);
  if (firstSku === undefined) state.skuRows.set(r.sku, r.row);
  else fail('sku', `is also on row ${firstSku}`);
  for (const barcode of r.barcodes ?? []) {
    const first = state.barcodeRows.get(barcode);
    if (first === undefined) state.barcodeRows.set(barcode, r.row);
    else fail('barcodes', `"${barcode}" is also on row ${first}`);
  }
}

function categoryOf(
  r: ImportRow,
  snap: Snapshot,
  fail: (f: string, m: string) => void,
): CategoryRef | null | undefined {
  if (r.category === undefined || r.category === null) return r.category;
  const key = categoryKey(r.category);
  const found = snap.categoriesByKey.get(key);
  if (found === undefined) return { kind: 'new', key, name: r.category };
  if (found.archived_at !== null) fail('category', `"${found.name}" is an archived category`);
  return { kind: 'existing', id: found.id };
}

function productOf(
  r: ImportRow,
  existing: VariantWithProduct | undefined,
  snap: Snapshot,
  fail: (f: string, m: string) => void,
): ProductRef | undefined {
  if (existing !== undefined) {
    if (existing.archived_at !== null || existing.product_archived_at !== null) {
      fail('sku', 'belongs to an archived variant or product; archived SKUs stay reserved');
    }
    if (existing.product_name !== r.productName) {
      fail('product_name', `SKU ${r.sku} belongs to the product "${existing.product_name}"; variants do not move`);
    }
    const product = snap.productsById.get(existing.product_id);
    return product === undefined ? undefined : { kind: 'existing', product };
  }
  const matches = snap.productsByName.get(r.productName) ?? [];
  const only = matches[0];
  if (matches.length > 1) {
    fail('product_name', `matches ${matches.length} active products; rename them apart or archive one first`);
  }
  return only === undefined ? { kind: 'new', name: r.productName } : { kind: 'existing', product: only };
}

function needsRecategorising(ref: ProductRef, category: CategoryRef | null | undefined): boolean {
  if (ref.kind === 'new' || category === undefined) return false;
  const current = ref.product.category_id;
  if (category === null) return current !== null;
  return category.kind === 'new' || category.id !== current;
}

/** Plans one valid row. Rows with errors change nothing in the state but their SKU and barcodes. */
export function planRow(r: ImportRow, snap: Snapshot, state: ImportState): RowPlan {
  const errors: RowError[] = [];
  const fail = (field: string, message: string): void => {
    errors.push({ row: r.row, field, message });
  };
  checkInFile(r, state, fail);
  const existing = snap.variantsBySku.get(r.sku);
  const category = categoryOf(r, snap, fail);
  const wantedKey = category === undefined ? undefined : category === null ? null : categoryKey(r.category ?? '');
  const decided = state.productCategory.get(r.productName);
  if (wantedKey !== undefined && decided !== undefined && decided.key !== wantedKey) {
    fail('category', `differs from row ${decided.row}, which has the same product_name`);
  }
  const ref = productOf(r, existing, snap, fail);
  for (const barcode of r.barcodes ?? []) {
    const owner = snap.barcodeOwners.get(barcode);
    if (owner !== undefined && owner.variant_id !== existing?.id) {
      fail('barcodes', `"${barcode}" already names the variant with SKU ${owner.sku}`);
    }
  }
  if (errors.length > 0 || ref === undefined) return { kind: 'error', row: r.row, errors };

  if (wantedKey !== undefined && decided === undefined) {
    state.productCategory.set(r.productName, { key: wantedKey, row: r.row });
  }
  if (category?.kind === 'new' && !state.plannedCategories.has(category.key)) {
    state.plannedCategories.add(category.key);
    state.categoriesCreated++;
  }
  if (ref.kind === 'new' && !state.plannedProducts.has(ref.name)) {
    state.plannedProducts.add(ref.name);
    state.productsCreated++;
  }
  let recategorise = needsRecategorising(ref, category);
  if (recategorise && ref.kind === 'existing') {
    if (state.recategorised.has(ref.product.id)) recategorise = false;
    else state.recategorised.add(ref.product.id);
  }
  const product: ProductIntent = { ref, category, recategorise };

  if (existing === undefined) {
    const variant: NewVariant = {
      sku: r.sku,
      name: r.variantName ?? null,
      priceCents: r.priceCents,
      taxCode: r.taxCode ?? 'STD',
      barcodes: r.barcodes ?? [],
    };
    return { kind: 'create', row: r.row, product, variant };
  }
  const changes: VariantChanges = {};
  if (r.priceCents !== existing.price_cents) changes.price_cents = r.priceCents;
  if (r.variantName !== undefined && r.variantName !== existing.name) changes.name = r.variantName;
  if (r.taxCode !== undefined && r.taxCode !== existing.tax_code) changes.tax_code = r.taxCode;
  if (r.barcodes !== undefined && !sameSet(r.barcodes, existing.barcodes)) changes.barcodes = r.barcodes;
  if (Object.keys(changes).length === 0 && !recategorise) return { kind: 'unchanged', row: r.row };
  return { kind: 'update', row: r.row, product, before: existing, changes };
}

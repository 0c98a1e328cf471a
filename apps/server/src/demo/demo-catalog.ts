import type { TaxCode } from '@novapos/domain';
import { DEMO_CATEGORIES, type CategorySpec, type ProductSpec, type VariantSpec } from './demo-catalog.data.ts';

/** The seed of every demo: the same number gives the same shop, to the cent and the barcode. */
export const DEMO_SEED = 20_240_917;

/** A seeded pseudo-random generator (mulberry32): numbers in [0, 1), the same sequence for the same seed. */
export interface Rng {
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** An element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

/** Creates a seeded generator. Never Math.random: every demo must be the same shop. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    chance: (p) => next() < p,
  };
}

/** The EAN-13 check digit of 12 digits: weights 1 and 3 alternating from the left, to the next multiple of 10. */
export function ean13CheckDigit(body: string): number {
  if (!/^\d{12}$/.test(body)) throw new RangeError(`an EAN-13 body is 12 digits, not "${body}"`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** Whether a string is an EAN-13 with a correct check digit. */
export function isValidEan13(code: string): boolean {
  return /^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === Number(code[12]);
}

export interface DemoVariant {
  readonly sku: string;
  readonly name: string | null;
  readonly priceCents: number;
  readonly taxCode: TaxCode;
  /** An EAN-13, or null for what is made to order at the coffee bar. */
  readonly barcode: string | null;
}

export interface DemoProduct {
  readonly name: string;
  readonly category: string;
  /** How often it lands in a basket (its category's popularity). */
  readonly popularity: number;
  readonly variants: readonly DemoVariant[];
}

/** A shelf price: at least 0.25, ending in 9 (1.49, 2.99) like most shop prices. */
function shelfPrice(cents: number): number {
  return Math.max(25, Math.round(cents / 10) * 10 - 1);
}

/** "330 ml can" → "330MLCAN"; "Salt & vinegar" → "SALTVINE". */
function skuSuffix(variantName: string): string {
  return variantName
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 8);
}

function expand(spec: ProductSpec): {
  name: string;
  price?: number | undefined;
  tax?: TaxCode | undefined;
  variants?: readonly VariantSpec[] | undefined;
} {
  return typeof spec === 'string' ? { name: spec } : { name: spec[0], ...spec[1] };
}

function productsOf(category: CategorySpec, index: number, company: string, rng: Rng): DemoProduct[] {
  return category.products.map((spec, p) => {
    const { name, price, tax, variants } = expand(spec);
    const base = price ?? shelfPrice(rng.int(category.priceRange[0], category.priceRange[1]));
    const sku = `${category.code}-${String(p + 1).padStart(3, '0')}`;
    // In-store EAN-13s (GS1 prefix 20–29, "restricted circulation"): they can never clash with a real product's.
    const barcode = (v: number): string | null => {
      if (category.madeToOrder === true) return null;
      const body = `20${company}${String(index).padStart(2, '0')}${String(p).padStart(2, '0')}${String(v).padStart(2, '0')}`;
      return `${body}${ean13CheckDigit(body)}`;
    };
    const list: DemoVariant[] =
      variants === undefined
        ? [{ sku, name: null, priceCents: base, taxCode: tax ?? category.tax, barcode: barcode(0) }]
        : variants.map(([variantName, factor], v) => ({
            sku: `${sku}-${skuSuffix(variantName)}`,
            name: variantName,
            priceCents: factor === 1 ? base : shelfPrice(base * factor),
            taxCode: tax ?? category.tax,
            barcode: barcode(v + 1),
          }));
    return { name, category: category.name, popularity: category.popularity, variants: list };
  });
}

/**
 * The demo shop's catalog: about 200 products in 10 categories, some with size or flavour variants, each variant
 * with its own SKU, price (cents) and tax code (STD; EXEMPT for basic food; ZERO for newspapers and books) and,
 * except at the coffee bar, an EAN-13 barcode. Deterministic: the same seed gives the same catalog.
 */
export function demoCatalog(seed = DEMO_SEED): DemoProduct[] {
  const rng = createRng(seed);
  const company = String(rng.int(0, 9999)).padStart(4, '0');
  return DEMO_CATEGORIES.flatMap((category, index) => productsOf(category, index, company, rng));
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The catalog in the CSV import format (docs/catalog.md), one row per variant. */
export function demoCatalogCsv(products: readonly DemoProduct[]): string {
  const rows = ['product_name,category,sku,variant_name,price_cents,tax_code,barcodes'];
  for (const product of products) {
    for (const v of product.variants) {
      rows.push(
        [product.name, product.category, v.sku, v.name ?? '', String(v.priceCents), v.taxCode, v.barcode ?? '']
          .map(csvCell)
          .join(','),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}

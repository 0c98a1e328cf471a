// The catalog benchmark's data: a fresh tenant (made with the CLI, as an operator would) and N generated products
// loaded set-based from generate_series through the owner connection, then VACUUM (ANALYZE)d.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { CLI } from './server.ts';

/** A tenant made for the catalog benchmark, with its owner's credentials. */
export interface CatalogTenant {
  readonly tenantId: string;
  readonly email: string;
  readonly password: string;
}

/**
 * `novapos tenant create` against the benchmark's database. DATA_DIR and PIN_PEPPER are throw-away values: the CLI
 * only needs them to exist (the tenant's owner has no PIN), and the real DATA_DIR belongs to the running server.
 */
export async function createCatalogTenant(ownerUrl: string): Promise<CatalogTenant> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'novapos-bench-cli-'));
  const email = `catalog-${Date.now()}@bench.novapos.test`;
  const password = `bench-${Math.random().toString(36).slice(2)}-pw`;
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        CLI,
        'tenant',
        'create',
        '--name',
        'Catalog Bench',
        '--owner-email',
        email,
        '--owner-password',
        password,
        '--json',
      ],
      {
        env: {
          ...process.env,
          DATABASE_URL: ownerUrl,
          DATA_DIR: dataDir,
          PIN_PEPPER: 'bench-pepper-'.repeat(4),
          LOG_LEVEL: 'warn',
        },
      },
    );
    const tenantId = (JSON.parse(stdout.trim()) as { tenant_id: string }).tenant_id;
    return { tenantId, email, password };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// Names read like a grocery catalog: "<Brand> <adjective> <noun> <size>". 3,375 brands make selective words (about
// 300 products each at 1M), 40 adjectives and 50 nouns common ones (2–2.5 % each), and 8 sizes very common ones.
const SYLLABLES = ['vel', 'mor', 'ka', 'lin', 'dro', 'sa', 'ten', 'bri', 'zo', 'qua', 'fen', 'lu', 'mar', 'tho', 'ri'];
export const BRANDS: readonly string[] = SYLLABLES.flatMap((a) =>
  SYLLABLES.flatMap((b) => SYLLABLES.map((c) => `${a[0]?.toUpperCase() ?? ''}${a.slice(1)}${b}${c}`)),
);
export const ADJECTIVES: readonly string[] = [
  'Organic', 'Classic', 'Dark', 'Light', 'Smoked', 'Roasted', 'Fresh', 'Frozen', 'Spicy', 'Sweet',
  'Salted', 'Unsalted', 'Wholegrain', 'Creamy', 'Crunchy', 'Mild', 'Extra', 'Premium', 'Family', 'Mini',
  'Golden', 'Wild', 'Natural', 'Vegan', 'Sparkling', 'Still', 'Honey', 'Lemon', 'Vanilla', 'Mint',
  'Garlic', 'Tomato', 'Cherry', 'Mango', 'Coconut', 'Almond', 'Hazelnut', 'Toasted', 'Aged', 'Rustic',
]; // prettier-ignore
export const NOUNS: readonly string[] = [
  'Chocolate', 'Coffee', 'Tea', 'Biscuits', 'Crackers', 'Cheese', 'Yogurt', 'Butter', 'Bread', 'Muesli',
  'Granola', 'Pasta', 'Rice', 'Noodles', 'Soup', 'Sauce', 'Ketchup', 'Mustard', 'Mayonnaise', 'Olive Oil',
  'Vinegar', 'Jam', 'Peanut Butter', 'Cereal', 'Chips', 'Popcorn', 'Pretzels', 'Nuts', 'Raisins', 'Juice',
  'Lemonade', 'Cola', 'Water', 'Milk', 'Cream', 'Ice Cream', 'Sorbet', 'Pizza', 'Burger', 'Sausages',
  'Salami', 'Ham', 'Salmon', 'Tuna', 'Sardines', 'Beans', 'Lentils', 'Chickpeas', 'Hummus', 'Salsa',
]; // prettier-ignore
export const SIZES: readonly string[] = ['100 g', '250 g', '500 g', '1 kg', '330 ml', '1 l', '6 pack', '12 pack'];

/** Every tenth product has three variants (S/M/L), the others one: 1.2 variants and barcodes per product. */
const VARIANTS_OF = (g: string): string => `CASE WHEN ${g} % 10 = 0 THEN 2 ELSE 0 END`;

// A UUIDv7 per row: milliseconds (one apart, a day ago) then version 7, a counter and the variant bits, so ids sort
// like the app's and in insertion order. Products use variant nibble 8, variants 9 (k = variant number 0..2).
const PRODUCT_ID = `(lpad(to_hex($2::bigint + g), 12, '0') || '70008' || lpad(to_hex(g), 15, '0'))::uuid`;
const VARIANT_ID = `(lpad(to_hex($2::bigint + g), 12, '0') || '7' || lpad(to_hex(k), 3, '0') || '9' || lpad(to_hex(g), 15, '0'))::uuid`;
/** 13 digits starting 40: never 5…, which is where the benchmark's misses come from. */
export const barcodeOf = (g: number, k: number): string => `40${String(g * 3 + k).padStart(11, '0')}`;
const BARCODE = `'40' || lpad((g * 3 + k)::text, 11, '0')`;
const SKU = `'BN' || lpad(g::text, 7, '0') || CASE WHEN ${VARIANTS_OF('g')} = 0 THEN '' ELSE '-' || (ARRAY['S','M','L'])[k + 1] END`;

/** What was loaded and how long it took. */
export interface CatalogLoad {
  readonly products: number;
  readonly variants: number;
  readonly barcodes: number;
  readonly loadSeconds: number;
  /** VACUUM (ANALYZE) of the three tables after the load. */
  readonly analyzeSeconds: number;
}

/**
 * Loads `n` products with their variants and barcodes into the tenant, one set-based INSERT … SELECT FROM
 * generate_series per table in one transaction (as the table owner, so row-level security does not apply; the
 * triggers and foreign keys do), then VACUUM (ANALYZE), so the planner knows the tables' new size.
 */
export async function loadCatalog(ownerUrl: string, tenantId: string, n: number): Promise<CatalogLoad> {
  const db = new pg.Client({ connectionString: ownerUrl });
  await db.connect();
  try {
    const base = Date.now() - 86_400_000 - n;
    const started = performance.now();
    await db.query('BEGIN');
    // Memory for the trigram indexes' pending-list merges, which an insert this large triggers many times.
    await db.query("SET LOCAL work_mem = '64MB'");
    // Word lists are parameters $4..$7; each word is chosen by a hash of the row number with its own seed.
    const pick = (list: readonly string[], param: number): string =>
      `($${param}::text[])[1 + abs(hashint8extended(g, ${param}) % ${list.length})]`;
    const products = await db.query(
      `INSERT INTO products (id, tenant_id, name)
       SELECT ${PRODUCT_ID}, $1::uuid,
              ${pick(BRANDS, 4)} || ' ' || ${pick(ADJECTIVES, 5)} || ' ' || ${pick(NOUNS, 6)} || ' ' || ${pick(SIZES, 7)}
         FROM generate_series(1, $3::bigint) g`,
      [tenantId, base, n, BRANDS, ADJECTIVES, NOUNS, SIZES],
    );
    // Before the next INSERT: its foreign-key checks are planned once, at their first row, from the statistics.
    // With those of a nearly empty table the planner may probe products by (tenant_id, category_id) and filter on
    // the id, reading the whole tenant for every variant (measured: over 10 minutes instead of seconds). ANALYZE
    // inside the transaction counts its own new rows.
    await db.query('ANALYZE products');
    const variants = await db.query(
      `INSERT INTO product_variants (id, tenant_id, product_id, sku, name, price_cents, tax_code)
       SELECT ${VARIANT_ID}, $1::uuid, ${PRODUCT_ID}, ${SKU},
              CASE WHEN ${VARIANTS_OF('g')} = 0 THEN NULL ELSE (ARRAY['Small','Medium','Large'])[k + 1] END,
              99 + abs(hashint8extended(g * 3 + k, 5) % 2000), CASE WHEN g % 7 = 0 THEN 'ZERO' ELSE 'STD' END
         FROM generate_series(1, $3::bigint) g CROSS JOIN LATERAL generate_series(0, ${VARIANTS_OF('g')}) k`,
      [tenantId, base, n],
    );
    await db.query('ANALYZE product_variants');
    const barcodes = await db.query(
      `INSERT INTO variant_barcodes (tenant_id, barcode, variant_id)
       SELECT $1::uuid, ${BARCODE}, ${VARIANT_ID}
         FROM generate_series(1, $3::bigint) g CROSS JOIN LATERAL generate_series(0, ${VARIANTS_OF('g')}) k`,
      [tenantId, base, n],
    );
    await db.query('COMMIT');
    const loaded = performance.now();
    // As autovacuum would leave a settled catalog: statistics, and the visibility map that index-only scans need.
    await db.query('VACUUM (ANALYZE) products, product_variants, variant_barcodes');
    return {
      products: products.rowCount ?? 0,
      variants: variants.rowCount ?? 0,
      barcodes: barcodes.rowCount ?? 0,
      loadSeconds: Math.round(loaded - started) / 1000,
      analyzeSeconds: Math.round(performance.now() - loaded) / 1000,
    };
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.end();
  }
}

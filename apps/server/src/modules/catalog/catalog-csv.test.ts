import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { expectProblem, useShop, type Client } from '../../../test/harness.ts';
import { systemContext } from '../../platform/context.ts';
import { importCatalogCsv } from './catalog-csv.import.ts';
import { MAX_IMPORT_BYTES } from './catalog-csv.upload.ts';

const shop = useShop();
const owner = shop.as('owner');

const HEADER = 'product_name,category,sku,variant_name,price_cents,tax_code,barcodes';

function importCsv(csv: string, query = '', as: Client = owner) {
  return as.post(`/v1/products/import${query}`, csv, { headers: { 'content-type': 'text/csv; charset=utf-8' } });
}

async function counts(): Promise<Record<string, number>> {
  const { rows } = await shop.db.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM products WHERE tenant_id = $1) AS products,
            (SELECT count(*)::int FROM product_variants WHERE tenant_id = $1) AS variants,
            (SELECT count(*)::int FROM variant_barcodes WHERE tenant_id = $1) AS barcodes,
            (SELECT count(*)::int FROM categories WHERE tenant_id = $1) AS categories,
            (SELECT count(*)::int FROM audit_events WHERE tenant_id = $1) AS audit`,
    [shop.tenantId],
  );
  return rows[0]!;
}

type Found = { id: string; product_id: string; [field: string]: unknown };

async function lookup(barcode: string): Promise<Found> {
  return (await owner.get(`/v1/products/lookup?barcode=${barcode}`)).json<Found>();
}

const GOOD = [
  HEADER,
  'Green Tea,Drinks,TEA-S,Small,350,ZERO,5000001|5000002',
  'Green Tea,Drinks,TEA-L,Large,450,ZERO,',
  'Croissant,Bakery,CRS,,250,,5000003',
  '"Cake, chocolate",bakery,CAKE,,1200,STD,',
].join('\n');

describe('POST /v1/products/import', () => {
  it('a dry run reports what would happen and writes nothing', async () => {
    const before = await counts();
    const res = await importCsv(GOOD, '?dry_run=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      dry_run: true,
      written: false,
      counts: { rows: 4, created: 4, updated: 0, unchanged: 0, errors: 0, products_created: 3, categories_created: 2 },
      errors: [],
      errors_truncated: false,
    });
    expect(await counts()).toEqual(before);
  });

  it('imports a good file: rows of one product_name group into one product, categories are created', async () => {
    const res = await importCsv(GOOD);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      dry_run: false,
      written: true,
      counts: { rows: 4, created: 4, errors: 0, products_created: 3, categories_created: 2 },
    });
    const tea = await lookup('5000002');
    expect(tea).toMatchObject({ product_name: 'Green Tea', sku: 'TEA-S', name: 'Small', price_cents: 350 });
    expect(tea.tax_code).toBe('ZERO');
    const product = (await owner.get(`/v1/products/${tea.product_id}`)).json();
    expect(product.variants.map((v: { sku: string }) => v.sku)).toEqual(['TEA-S', 'TEA-L']);
    const cake = await owner.get('/v1/products?q=cake');
    expect(cake.json().data[0]).toMatchObject({ name: 'Cake, chocolate' });
    // "bakery" and "Bakery" are one category.
    const croissant = (await lookup('5000003')).product_id;
    const crs = await owner.get(`/v1/products/${croissant}`);
    expect(crs.json().category_id).toBe(cake.json().data[0].category_id);
    const counts: Record<string, number> = {};
    for (const { action } of await shop.audit({ tenantId: shop.tenantId })) {
      if (/^(category|product|variant)\./.test(action)) counts[action] = (counts[action] ?? 0) + 1;
    }
    expect(counts).toEqual({ 'category.created': 2, 'product.created': 3, 'variant.created': 4 });
  });

  it('puts new categories after the active ones, 10 apart, in the order the file first names them', async () => {
    const store = await shop.addTenant('Positions Shop');
    const boss = store.as('owner');
    const make = async (name: string, position: number) => {
      const res = await boss.post('/v1/categories', { name, position });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    await make('Drinks', 35);
    // An archived category further down does not count: new ones follow what the till shows.
    const old = await make('Old stock', 900);
    await boss.post(`/v1/categories/${old}/archive`);
    const file = [
      HEADER,
      'Crisps,Snacks,CRISP,,150,,',
      'Cola,drinks,COLA,,200,,',
      'Apple,Fruit,APPLE,,50,,',
      'Nuts,SNACKS,NUTS,,300,,',
      'Pear,Fruit,PEAR,,60,,',
      'Soap,Household,SOAP,,400,,',
    ].join('\n');
    // Batches of two rows: "Household" is created in the third batch's transaction, after the first two committed.
    const report = await importCatalogCsv(shop.deps.db, systemContext(store.tenantId), () => Readable.from([file]), {
      dryRun: false,
      allowPartial: false,
      batchRows: 2,
    });
    expect(report.counts).toMatchObject({ errors: 0, categories_created: 3 });
    const list = await boss.get('/v1/categories?limit=200');
    expect(list.json().data.map((c: { name: string; position: number }) => [c.name, c.position])).toEqual([
      ['Drinks', 35],
      ['Snacks', 45],
      ['Fruit', 55],
      ['Household', 65],
    ]);
    // The audit says where each landed.
    expect(await shop.audit({ tenantId: store.tenantId, action: 'category.created', last: 3 })).toMatchAudit([
      { data: { name: 'Snacks', position: 45 } },
      { data: { name: 'Fruit', position: 55 } },
      { data: { name: 'Household', position: 65 } },
    ]);
  });

  it('importing the same file again changes nothing', async () => {
    const before = await counts();
    const res = await importCsv(GOOD);
    expect(res.json()).toMatchObject({ written: false, counts: { rows: 4, unchanged: 4, created: 0, updated: 0 } });
    expect(await counts()).toEqual(before);
  });

  it('updates a variant by SKU and audits its price change; a missing column leaves values alone', async () => {
    const res = await importCsv('product_name,sku,price_cents\nGreen Tea,TEA-S,375\nGreen Tea,TEA-M,400\n');
    expect(res.json().counts).toMatchObject({ rows: 2, updated: 1, created: 1, products_created: 0 });
    const tea = await lookup('5000001');
    expect(tea).toMatchObject({ price_cents: 375, name: 'Small', tax_code: 'ZERO', barcodes: ['5000001', '5000002'] });
    expect(await shop.audit({ entityId: tea.id, action: 'variant.price_changed' })).toMatchAudit([
      { data: { sku: 'TEA-S', before_cents: 350, after_cents: 375 } },
    ]);
  });

  it('reports bad rows by row number and, by default, writes nothing', async () => {
    const before = await counts();
    const csv = [
      HEADER,
      'Scone,Bakery,SCONE,,180,,',
      'Muffin,Bakery,MUF,,-5,,',
      'Bagel,Bakery,SCONE,,90,,',
      'Roll,Bakery,ROLL,,1.5,VAT,5000003',
      'Other Tea,Drinks,TEA-L,,450,,',
      'Bun,Bakery,BUN,,120,,',
    ].join('\n');
    const res = await importCsv(csv);
    expectProblem(res, 400, 'validation_failed');
    const report = res.json().report;
    expect(report).toMatchObject({ written: false, counts: { rows: 6, errors: 4, created: 2 } });
    expect(report.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [3, 'price_cents'],
      [4, 'sku'],
      [5, 'price_cents'],
      [5, 'tax_code'],
      [6, 'product_name'],
    ]);
    expect(report.errors[1].message).toBe('is also on row 2');
    expect(res.json().errors[0]).toEqual({ field: 'rows[3].price_cents', message: 'must be >= 0' });
    expect(await counts()).toEqual(before);

    const dry = await importCsv(csv, '?dry_run=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.json().counts.errors).toBe(4);

    const partial = await importCsv(csv, '?allow_partial=true');
    expect(partial.statusCode, partial.body).toBe(200);
    expect(partial.json()).toMatchObject({ written: true, counts: { created: 2, errors: 4 } });
    expect((await counts()).variants).toBe(before.variants! + 2);
  });

  it('refuses a barcode another variant holds, an archived category, and names that match two products', async () => {
    await owner.post('/v1/products', { name: 'Twin', variants: [{ sku: 'TWIN-1', price_cents: 1 }] });
    await owner.post('/v1/products', { name: 'Twin', variants: [{ sku: 'TWIN-2', price_cents: 1 }] });
    const old = (await owner.post('/v1/categories', { name: 'Old' })).json();
    await owner.post(`/v1/categories/${old.id}/archive`);
    const csv = [HEADER, 'Jam,,JAM,,100,,5000001', 'Twin,,TWIN-3,,1,,', 'Honey,old,HONEY,,1,,'].join('\n');
    const res = await importCsv(csv, '?dry_run=true');
    expect(res.json().errors).toEqual([
      { row: 2, field: 'barcodes', message: '"5000001" already names the variant with SKU TEA-S' },
      { row: 3, field: 'product_name', message: 'matches 2 active products; rename them apart or archive one first' },
      { row: 4, field: 'category', message: '"Old" is an archived category' },
    ]);
  });

  it('refuses a bad header, an empty file and broken CSV with 400', async () => {
    for (const csv of ['name,sku,price\nTea,T,1', '', `${HEADER}\n"Tea,,T,,1,,`]) {
      const res = await importCsv(csv);
      expectProblem(res, 400, 'validation_failed');
    }
    expect((await importCsv('name,sku,price_cents\n')).json().errors[0].field).toBe('header');
  });

  it('takes text/csv on this route only, and JSON not at all', async () => {
    const csvElsewhere = await owner.post('/v1/products', GOOD, { headers: { 'content-type': 'text/csv' } });
    expectProblem(csvElsewhere, 415, 'unsupported_media_type');
    const json = await owner.post('/v1/products/import', { rows: [] });
    expectProblem(json, 415, 'unsupported_media_type');
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await shop.anon.get('/openapi.json')).json();
    const importOp = doc.paths['/v1/products/import'].post;
    expect(importOp.parameters.map((p: { name: string }) => p.name)).toEqual(['dry_run', 'allow_partial']);
    expect(importOp.responses['200'].content['application/json'].schema.properties.counts).toBeDefined();
    const exportOp = doc.paths['/v1/products/export'].get;
    expect(Object.keys(exportOp.responses['200'].content)).toEqual(['text/csv']);
    expect(Object.keys(exportOp.responses['401'].content)).toEqual(['application/problem+json']);
  });

  it('refuses a body over the limit with 413, and a cashier with 403', async () => {
    const huge = `${HEADER}\n${'x'.repeat(MAX_IMPORT_BYTES)}`;
    expectProblem(await importCsv(huge), 413, 'payload_too_large');
    expectProblem(await importCsv(GOOD, '', shop.as('cashier')), 403, 'forbidden');
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { expectProblem, useShop, type Client } from '../../../test/harness.ts';
import { TIMEOUT_SCALE } from '../../../test/timing.ts';
import { MAX_IMPORT_BYTES } from './catalog-csv.upload.ts';
import { exportCatalogTo, importCatalogFile } from './index.ts';

// Each test makes tenants of its own; the shop's first one is not used.
const shop = useShop({ roles: [] });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'novapos-catalog-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function ownerOf(name: string): Promise<{ owner: Client; tenantId: string }> {
  const tenant = await shop.addTenant(name);
  return { owner: tenant.as('owner'), tenantId: tenant.tenantId };
}

function importCsv(as: Client, csv: string | Readable, query = '') {
  return as.post(`/v1/products/import${query}`, csv, { headers: { 'content-type': 'text/csv' } });
}

async function exportCsv(as: Client): Promise<string> {
  const res = await as.get('/v1/products/export');
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  return res.body;
}

describe('export and import', () => {
  it('round-trips: a catalog exported and imported into another tenant exports the same', async () => {
    const a = await ownerOf('Shop A');
    const drinks = (await a.owner.post('/v1/categories', { name: 'Drinks' })).json();
    const made = [
      {
        name: 'Lemonade "Classic", 1l',
        category_id: drinks.id,
        variants: [
          { sku: 'LEM-1', price_cents: 299, barcodes: ['111', '112'] },
          { sku: 'LEM-2', name: 'Sugar free', price_cents: 319, tax_code: 'ZERO' },
        ],
      },
      { name: 'Gift card', variants: [{ sku: 'GIFT', price_cents: 0, tax_code: 'NONE' }] },
      { name: 'Old stock', variants: [{ sku: 'OLD', price_cents: 5 }] },
    ];
    const ids: string[] = [];
    for (const p of made) ids.push((await a.owner.post('/v1/products', p)).json().id);
    await a.owner.post(`/v1/products/${ids[2]!}/archive`);
    const archivedVariant = (
      await a.owner.post(`/v1/products/${ids[0]!}/variants`, { sku: 'LEM-3', price_cents: 1 })
    ).json();
    await a.owner.post(`/v1/variants/${archivedVariant.id}/archive`);

    const exported = await exportCsv(a.owner);
    expect(exported).toBe(
      [
        'product_name,category,sku,variant_name,price_cents,tax_code,barcodes',
        '"Lemonade ""Classic"", 1l",Drinks,LEM-1,,299,STD,111|112',
        '"Lemonade ""Classic"", 1l",Drinks,LEM-2,Sugar free,319,ZERO,',
        'Gift card,,GIFT,,0,NONE,',
        '',
      ].join('\n'),
    );

    const b = await ownerOf('Shop B');
    const imported = await importCsv(b.owner, exported);
    expect(imported.json()).toMatchObject({ written: true, counts: { created: 3, products_created: 2 } });
    expect(await exportCsv(b.owner)).toBe(exported);
    type Listed = { name: string; variants: Record<string, unknown>[] };
    const shape = async (as: Client) =>
      (await as.get('/v1/products?limit=200')).json<{ data: Listed[] }>().data.map((p) => ({
        name: p.name,
        variants: p.variants.map((v) => [v.sku, v.name, v.price_cents, v.barcodes]),
      }));
    expect(await shape(b.owner)).toEqual((await shape(a.owner)).filter((p) => p.name !== 'Old stock'));
  });

  // "Reasonable" is a loose ceiling (90 s), scaled like the suite's safety net: this is about the import not being
  // pathologically slow (row by row round trips), not a benchmark (bench/ measures it).
  it('imports 5,000 rows in reasonable time, and a second run finds them unchanged', async () => {
    const c = await ownerOf('Big Shop');
    const lines = ['product_name,category,sku,variant_name,price_cents,tax_code,barcodes'];
    for (let i = 0; i < 5000; i++) {
      const product = Math.floor(i / 2);
      lines.push(
        `Product ${product},Category ${product % 40},SKU-${i},${i % 2 === 0 ? 'Regular' : 'Large'},${100 + i},STD,${9_000_000 + i}`,
      );
    }
    const csv = lines.join('\n');
    const started = Date.now();
    const res = await importCsv(c.owner, csv);
    const seconds = (Date.now() - started) / 1000;
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.json().counts).toEqual({
      rows: 5000,
      created: 5000,
      updated: 0,
      unchanged: 0,
      errors: 0,
      products_created: 2500,
      categories_created: 40,
    });
    expect(seconds).toBeLessThan(90 * TIMEOUT_SCALE);
    expect((await exportCsv(c.owner)).trimEnd().split('\n')).toHaveLength(5001);
    const again = await importCsv(c.owner, csv, '?dry_run=true');
    expect(again.json().counts).toMatchObject({ unchanged: 5000, created: 0 });
    const found = await c.owner.get('/v1/products/lookup?barcode=9004999');
    expect(found.json()).toMatchObject({ sku: 'SKU-4999', product_name: 'Product 2499', price_cents: 5099 });
  });

  it('refuses a streamed body that passes the limit without a Content-Length (413)', async () => {
    const d = await ownerOf('Stream Shop');
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    const body = Readable.from(
      (function* () {
        yield Buffer.from('product_name,sku,price_cents\n');
        for (let i = 0; i <= MAX_IMPORT_BYTES / chunk.length; i++) yield chunk;
      })(),
    );
    expectProblem(await importCsv(d.owner, body), 413, 'payload_too_large');
  });
});

describe('file import and export (the CLI)', () => {
  it('imports a file with progress reports, and exports to a stream', async () => {
    const e = await ownerOf('CLI Shop');
    const file = path.join(dir, 'catalog.csv');
    await writeFile(file, 'product_name,sku,price_cents\nSalt,SALT,99\nPepper,PEPPER,199\n');
    const progress: string[] = [];
    const ctx = systemContext(e.tenantId);
    const report = await importCatalogFile(shop.deps.db, ctx, file, {
      dryRun: false,
      allowPartial: false,
      onProgress: (p) => progress.push(`${p.phase}:${p.rows}`),
    });
    expect(report.counts).toMatchObject({ created: 2, errors: 0 });
    expect(progress).toEqual(['validate:2', 'write:2']);
    expect(await shop.audit({ tenantId: e.tenantId, action: 'variant.created' })).toMatchAudit([
      { actor_type: 'system' },
      { actor_type: 'system' },
    ]);

    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await exportCatalogTo(shop.deps.db, ctx, out);
    expect(Buffer.concat(chunks).toString()).toContain('Pepper,,PEPPER,,199,STD,');
  });

  it('refuses an unknown tenant and a missing file', async () => {
    const file = path.join(dir, 'tiny.csv');
    await writeFile(file, 'product_name,sku,price_cents\n');
    const ghost = systemContext('01890000-0000-7000-8000-000000000000');
    const options = { dryRun: true, allowPartial: false };
    const err: unknown = await importCatalogFile(shop.deps.db, ghost, file, options).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('tenant_not_found');
    const missing: unknown = await importCatalogFile(shop.deps.db, ghost, path.join(dir, 'nope.csv'), options).catch(
      (x: unknown) => x,
    );
    expect((missing as { code?: string }).code).toBe('ENOENT');
  });
});

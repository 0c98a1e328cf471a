import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { bearer, createTestApp, createTestTenant, expectProblem, login, type TestApp } from '../../../test/harness.ts';
import { MAX_IMPORT_BYTES } from './catalog-csv.upload.ts';
import { exportCatalogTo, importCatalogFile } from './index.ts';

let t: TestApp;
let dir: string;

beforeAll(async () => {
  t = await createTestApp();
  dir = await mkdtemp(path.join(os.tmpdir(), 'novapos-catalog-test-'));
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

async function ownerOf(name: string): Promise<{ token: string; tenantId: string }> {
  const shop = await createTestTenant(t, name);
  return { token: (await login(t, shop.emails.owner)).access_token, tenantId: shop.tenantId };
}

function send(token: string, method: 'GET' | 'POST', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
}

function importCsv(token: string, csv: string | Readable, query = '') {
  return t.app.inject({
    method: 'POST',
    url: `/v1/products/import${query}`,
    headers: { ...bearer(token), 'content-type': 'text/csv' },
    payload: csv,
  });
}

async function exportCsv(token: string): Promise<string> {
  const res = await send(token, 'GET', '/v1/products/export');
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  return res.body;
}

describe('export and import', () => {
  it('round-trips: a catalog exported and imported into another tenant exports the same', async () => {
    const a = await ownerOf('Shop A');
    const drinks = (await send(a.token, 'POST', '/v1/categories', { name: 'Drinks' })).json();
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
    for (const p of made) ids.push((await send(a.token, 'POST', '/v1/products', p)).json().id);
    await send(a.token, 'POST', `/v1/products/${ids[2]!}/archive`);
    const archivedVariant = (
      await send(a.token, 'POST', `/v1/products/${ids[0]!}/variants`, { sku: 'LEM-3', price_cents: 1 })
    ).json();
    await send(a.token, 'POST', `/v1/variants/${archivedVariant.id}/archive`);

    const exported = await exportCsv(a.token);
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
    const imported = await importCsv(b.token, exported);
    expect(imported.json()).toMatchObject({ written: true, counts: { created: 3, products_created: 2 } });
    expect(await exportCsv(b.token)).toBe(exported);
    type Listed = { name: string; variants: Record<string, unknown>[] };
    const shape = async (token: string) =>
      (await send(token, 'GET', '/v1/products?limit=200')).json<{ data: Listed[] }>().data.map((p) => ({
        name: p.name,
        variants: p.variants.map((v) => [v.sku, v.name, v.price_cents, v.barcodes]),
      }));
    expect(await shape(b.token)).toEqual((await shape(a.token)).filter((p) => p.name !== 'Old stock'));
  });

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
    const res = await importCsv(c.token, csv);
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
    expect(seconds).toBeLessThan(90);
    expect((await exportCsv(c.token)).trimEnd().split('\n')).toHaveLength(5001);
    const again = await importCsv(c.token, csv, '?dry_run=true');
    expect(again.json().counts).toMatchObject({ unchanged: 5000, created: 0 });
    const found = await send(c.token, 'GET', '/v1/products/lookup?barcode=9004999');
    expect(found.json()).toMatchObject({ sku: 'SKU-4999', product_name: 'Product 2499', price_cents: 5099 });
  }, 120_000);

  it('refuses a streamed body that passes the limit without a Content-Length (413)', async () => {
    const d = await ownerOf('Stream Shop');
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    const body = Readable.from(
      (function* () {
        yield Buffer.from('product_name,sku,price_cents\n');
        for (let i = 0; i <= MAX_IMPORT_BYTES / chunk.length; i++) yield chunk;
      })(),
    );
    expectProblem(await importCsv(d.token, body), 413, 'payload_too_large');
  });
});

describe('file import and export (the CLI)', () => {
  it('imports a file with progress reports, and exports to a stream', async () => {
    const e = await ownerOf('CLI Shop');
    const file = path.join(dir, 'catalog.csv');
    await writeFile(file, 'product_name,sku,price_cents\nSalt,SALT,99\nPepper,PEPPER,199\n');
    const progress: string[] = [];
    const ctx = systemContext(e.tenantId);
    const report = await importCatalogFile(t.deps.db, ctx, file, {
      dryRun: false,
      allowPartial: false,
      onProgress: (p) => progress.push(`${p.phase}:${p.rows}`),
    });
    expect(report.counts).toMatchObject({ created: 2, errors: 0 });
    expect(progress).toEqual(['validate:2', 'write:2']);
    const { rows } = await t.deps.db.system.query(
      "SELECT actor_type FROM audit_events WHERE tenant_id = $1 AND action = 'variant.created'",
      [e.tenantId],
    );
    expect(rows).toEqual([{ actor_type: 'system' }, { actor_type: 'system' }]);

    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await exportCatalogTo(t.deps.db, ctx, out);
    expect(Buffer.concat(chunks).toString()).toContain('Pepper,,PEPPER,,199,STD,');
  });

  it('refuses an unknown tenant and a missing file', async () => {
    const file = path.join(dir, 'tiny.csv');
    await writeFile(file, 'product_name,sku,price_cents\n');
    const ghost = systemContext('01890000-0000-7000-8000-000000000000');
    const options = { dryRun: true, allowPartial: false };
    const err: unknown = await importCatalogFile(t.deps.db, ghost, file, options).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('tenant_not_found');
    const missing: unknown = await importCatalogFile(t.deps.db, ghost, path.join(dir, 'nope.csv'), options).catch(
      (x: unknown) => x,
    );
    expect((missing as { code?: string }).code).toBe('ENOENT');
  });
});

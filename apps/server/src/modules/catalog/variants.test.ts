import { describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { expectProblem, useShop } from '../../../test/harness.ts';
import * as writes from './catalog.writes.ts';

const shop = useShop({ roles: ['owner', 'cashier'] });
const owner = shop.as('owner');
const cashier = shop.as('cashier');

async function product(sku: string, barcodes: string[] = []) {
  const res = await owner.post('/v1/products', {
    name: `Soap ${sku}`,
    variants: [{ sku, name: 'Lavender', price_cents: 500, barcodes }],
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; variants: [{ id: string }] }>();
}

describe('variants', () => {
  it('adds a variant to a product, and refuses one for an archived product (422 product_archived)', async () => {
    const p = await product('SOAP-1');
    const res = await owner.post(`/v1/products/${p.id}/variants`, {
      sku: 'SOAP-2',
      name: 'Rose',
      price_cents: 550,
      barcodes: ['5000000000002'],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.location).toBe(`/v1/variants/${res.json().id}`);
    expect(res.json()).toMatchObject({ product_id: p.id, sku: 'SOAP-2', tax_code: 'STD', barcodes: ['5000000000002'] });
    expect((await cashier.get(`/v1/products/${p.id}`)).json().variants).toHaveLength(2);
    expectProblem(
      await owner.post(`/v1/products/${p.id}/variants`, { sku: 'SOAP-1', price_cents: 1 }),
      409,
      'sku_taken',
    );
    await owner.post(`/v1/products/${p.id}/archive`);
    expectProblem(
      await owner.post(`/v1/products/${p.id}/variants`, { sku: 'SOAP-3', price_cents: 1 }),
      422,
      'product_archived',
    );
  });

  it('audits a price change with before and after, and nothing when the price is the same', async () => {
    const p = await product('PRICE-1');
    const v = p.variants[0];
    const res = await owner.patch(`/v1/variants/${v.id}`, { price_cents: 650 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().price_cents).toBe(650);
    expect(await shop.audit({ entityId: v.id, last: 1 })).toMatchAudit([
      { action: 'variant.price_changed', data: { sku: 'PRICE-1', before_cents: 500, after_cents: 650 } },
    ]);
    await owner.patch(`/v1/variants/${v.id}`, { price_cents: 650 });
    expect(await shop.audit({ entityId: v.id })).toHaveLength(2);
    const negative = await owner.patch(`/v1/variants/${v.id}`, { price_cents: -5 });
    expectProblem(negative, 400, 'validation_failed');
    expect(negative.json().errors[0].field).toBe('price_cents');
    expectProblem(await cashier.patch(`/v1/variants/${v.id}`, { price_cents: 1 }), 403, 'forbidden');
  });

  it('replaces the barcode set, refusing one another variant holds', async () => {
    const a = await product('BC-A', ['A-1', 'A-2']);
    const b = await product('BC-B', ['B-1']);
    const res = await owner.patch(`/v1/variants/${a.variants[0].id}`, {
      barcodes: ['A-3', 'A-1'],
      name: 'Mint',
      tax_code: 'EXEMPT',
    });
    expect(res.json()).toMatchObject({ barcodes: ['A-1', 'A-3'], name: 'Mint', tax_code: 'EXEMPT' });
    expect(await shop.audit({ entityId: a.variants[0].id, last: 1 })).toMatchAudit([
      {
        action: 'variant.updated',
        data: {
          before: { name: 'Lavender', tax_code: 'STD', barcodes: ['A-1', 'A-2'] },
          after: { name: 'Mint', tax_code: 'EXEMPT', barcodes: ['A-1', 'A-3'] },
        },
      },
    ]);
    const taken = await owner.patch(`/v1/variants/${a.variants[0].id}`, { barcodes: ['A-1', 'B-1'] });
    expectProblem(taken, 409, 'barcode_taken');
    expect(taken.json().errors[0].field).toBe('barcodes[1]');
    const skuTaken = await owner.patch(`/v1/variants/${a.variants[0].id}`, { sku: 'BC-B' });
    expectProblem(skuTaken, 409, 'sku_taken');
    expect((await owner.get(`/v1/variants/${a.variants[0].id}`)).json().barcodes).toEqual(['A-1', 'A-3']);
    expect((await owner.get(`/v1/variants/${b.variants[0].id}`)).json().barcodes).toEqual(['B-1']);
    // Its own SKU and barcodes are not "taken".
    const same = await owner.patch(`/v1/variants/${a.variants[0].id}`, { sku: 'BC-A', barcodes: ['A-1'] });
    expect(same.statusCode, same.body).toBe(200);
  });

  it('turns a unique violation the pre-checks missed (a race) into 409, not 500', async () => {
    const p = await product('RACE-1', ['RACE-BC']);
    const ctx = systemContext(shop.tenantId);
    const attempt = (variant: writes.NewVariant) =>
      tenantTx(shop.deps.db, ctx, (tx) => writes.createVariants(tx, ctx, [{ productId: p.id, variant }])).catch(
        (e: unknown) => e,
      );
    const sku = await attempt({ sku: 'RACE-1', name: null, priceCents: 1, taxCode: 'STD', barcodes: [] });
    expect(sku).toBeInstanceOf(AppError);
    expect((sku as AppError).code).toBe('sku_taken');
    const barcode = await attempt({ sku: 'RACE-2', name: null, priceCents: 1, taxCode: 'STD', barcodes: ['RACE-BC'] });
    expect((barcode as AppError).code).toBe('barcode_taken');
    expect((await owner.get(`/v1/products/${p.id}`)).json().variants).toHaveLength(1);
  });
});

describe('GET /v1/products/lookup', () => {
  it('finds the variant of an exact barcode, with its product name', async () => {
    const p = await product('LOOK-1', ['0012345678905']);
    const res = await cashier.get('/v1/products/lookup?barcode=0012345678905');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: p.variants[0].id,
      product_id: p.id,
      product_name: 'Soap LOOK-1',
      sku: 'LOOK-1',
      price_cents: 500,
      archived: false,
    });
    // Exact only: no prefix, no SKU fallback.
    expectProblem(await cashier.get('/v1/products/lookup?barcode=001234567890'), 422, 'unknown_barcode');
    const bySku = await cashier.get('/v1/products/lookup?barcode=LOOK-1');
    expectProblem(bySku, 422, 'unknown_barcode');
    expect(bySku.json().errors[0].field).toBe('barcode');
    expectProblem(await cashier.get('/v1/products/lookup?barcode=has%20space'), 400, 'validation_failed');
    expectProblem(await cashier.get('/v1/products/lookup'), 400, 'validation_failed');
  });

  it('still finds an archived variant, flagged archived', async () => {
    const p = await product('LOOK-2', ['ARCHIVED-BC']);
    const archived = await owner.post(`/v1/variants/${p.variants[0].id}/archive`);
    expect(archived.json().archived_at).not.toBeNull();
    expect(await shop.audit({ entityId: p.variants[0].id, last: 1 })).toMatchAudit([
      { action: 'variant.archived', data: { product_id: p.id, sku: 'LOOK-2' } },
    ]);
    const res = await cashier.get('/v1/products/lookup?barcode=ARCHIVED-BC');
    expect(res.json()).toMatchObject({ sku: 'LOOK-2', archived: true });
    expect(res.json().archived_at).not.toBeNull();
  });
});

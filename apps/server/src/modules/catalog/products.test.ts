import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, useShop, type Tenant } from '../../../test/harness.ts';

const shop = useShop({ roles: ['owner', 'cashier'] });
const owner = shop.as('owner');
const cashier = shop.as('cashier');
let other: Tenant;

beforeAll(async () => {
  other = await shop.addTenant('Other Shop');
});

async function countRows(tenantId: string): Promise<{ products: number; variants: number; barcodes: number }> {
  const { rows } = await shop.db.query<{ products: number; variants: number; barcodes: number }>(
    `SELECT (SELECT count(*)::int FROM products WHERE tenant_id = $1) AS products,
            (SELECT count(*)::int FROM product_variants WHERE tenant_id = $1) AS variants,
            (SELECT count(*)::int FROM variant_barcodes WHERE tenant_id = $1) AS barcodes`,
    [tenantId],
  );
  return rows[0]!;
}

const tea = (sku: string, extra: object = {}) => ({
  name: 'Green Tea',
  description: 'Loose leaf',
  variants: [
    { sku: `${sku}-S`, name: 'Small', price_cents: 350, barcodes: [`${sku}1`, `${sku}2`] },
    { sku: `${sku}-L`, name: 'Large', price_cents: 450, tax_code: 'ZERO' },
  ],
  ...extra,
});

describe('POST /v1/products', () => {
  it('creates a product with its variants and barcodes, and audits each', async () => {
    const res = await owner.post('/v1/products', tea('TEA'));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(res.headers.location).toBe(`/v1/products/${body.id}`);
    expect(body).toMatchObject({ name: 'Green Tea', description: 'Loose leaf', category_id: null, archived_at: null });
    expect(body.variants).toMatchObject([
      { sku: 'TEA-S', name: 'Small', price_cents: 350, tax_code: 'STD', barcodes: ['TEA1', 'TEA2'] },
      { sku: 'TEA-L', name: 'Large', price_cents: 450, tax_code: 'ZERO', barcodes: [] },
    ]);
    expect(await shop.audit({ entityId: body.id })).toMatchAudit(['product.created']);
    expect(await shop.audit({ entityId: body.variants[0].id })).toMatchAudit([
      {
        action: 'variant.created',
        data: {
          product_id: body.id,
          sku: 'TEA-S',
          name: 'Small',
          price_cents: 350,
          tax_code: 'STD',
          barcodes: ['TEA1', 'TEA2'],
        },
      },
    ]);
    // The creation's answer adds what the product starts with (docs/catalog.md "Opening stock").
    const { opening_stock: opening, stock_policy: policy, ...product } = body;
    expect({ opening, policy }).toEqual({ opening: [], policy: 'block' });
    expect((await cashier.get(`/v1/products/${body.id}`)).json()).toEqual(product);
  });

  it('keeps SKUs unique per tenant (409 sku_taken) but lets another tenant use the same SKU', async () => {
    await owner.post('/v1/products', { name: 'Mug', variants: [{ sku: 'MUG-1', price_cents: 900 }] });
    const before = await countRows(shop.tenantId);
    const taken = await owner.post('/v1/products', {
      name: 'Mug again',
      variants: [
        { sku: 'MUG-2', price_cents: 900 },
        { sku: 'MUG-1', price_cents: 900 },
      ],
    });
    expectProblem(taken, 409, 'sku_taken');
    expect(taken.json().errors[0].field).toBe('variants[1].sku');
    const twice = await owner.post('/v1/products', {
      name: 'Twice',
      variants: [
        { sku: 'TWICE', price_cents: 1 },
        { sku: 'TWICE', price_cents: 2 },
      ],
    });
    expectProblem(twice, 409, 'sku_taken');
    expect(twice.json().errors[0].field).toBe('variants[1].sku');
    expect(await countRows(shop.tenantId)).toEqual(before);

    const elsewhere = await other.as('owner').post('/v1/products', {
      name: 'Mug',
      variants: [{ sku: 'MUG-1', price_cents: 800 }],
    });
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);
  });

  it('keeps barcodes unique per tenant (409 barcode_taken) and writes nothing', async () => {
    await owner.post('/v1/products', {
      name: 'Pen',
      variants: [{ sku: 'PEN-1', price_cents: 100, barcodes: ['4006381333931'] }],
    });
    const before = await countRows(shop.tenantId);
    const res = await owner.post('/v1/products', {
      name: 'Pencil',
      variants: [{ sku: 'PENCIL-1', price_cents: 100, barcodes: ['111', '4006381333931'] }],
    });
    expectProblem(res, 409, 'barcode_taken');
    expect(res.json().errors[0]).toEqual({
      field: 'variants[0].barcodes[1]',
      message: 'already names the variant with SKU PEN-1',
    });
    expect(await countRows(shop.tenantId)).toEqual(before);
  });

  it('refuses bad input with 400 naming the field, and writes nothing', async () => {
    const before = await countRows(shop.tenantId);
    const negative = await owner.post('/v1/products', {
      name: 'Bad',
      variants: [{ sku: 'BAD-1', price_cents: -1 }],
    });
    expectProblem(negative, 400, 'validation_failed');
    expect(negative.json().errors[0].field).toBe('variants[0].price_cents');
    const cases: object[] = [
      { name: 'Bad', variants: [{ sku: 'BAD-1', price_cents: 1.5 }] },
      { name: 'Bad', variants: [{ sku: 'BAD-1', price_cents: 100_000_000_001 }] },
      { name: 'Bad', variants: [{ sku: 'has space', price_cents: 1 }] },
      { name: 'Bad', variants: [{ sku: 'BAD-1', price_cents: 1, tax_code: 'VAT' }] },
      { name: 'Bad', variants: [{ sku: 'BAD-1', price_cents: 1, barcodes: ['no spaces'] }] },
      { name: 'Bad', variants: [] },
      { name: '   ', variants: [{ sku: 'BAD-1', price_cents: 1 }] },
      { name: 'Bad', colour: 'red', variants: [{ sku: 'BAD-1', price_cents: 1 }] },
      { name: 'Bad', variants: [{ sku: 'BAD-1', price_cents: 1, cost_cents: 1 }] },
    ];
    for (const payload of cases) {
      expectProblem(await owner.post('/v1/products', payload), 400, 'validation_failed');
    }
    const unknown = await owner.post('/v1/products', {
      name: 'Bad',
      colour: 'red',
      variants: [{ sku: 'BAD-1', price_cents: 1 }],
    });
    expect(unknown.json().errors[0]).toEqual({ field: 'colour', message: 'is not a known field' });
    expect(await countRows(shop.tenantId)).toEqual(before);
  });

  it('is for managers and above: a cashier gets 403', async () => {
    expectProblem(await cashier.post('/v1/products', tea('CASH')), 403, 'forbidden');
    expect((await shop.as('manager').post('/v1/products', tea('MGR'))).statusCode).toBe(201);
  });

  it('replays a request with the same Idempotency-Key instead of creating twice', async () => {
    const send = () => owner.post('/v1/products', tea('IDEM'), { idempotencyKey: 'create-idem-1' });
    const first = await send();
    const again = await send();
    expect(first.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
  });

  it('puts a product into an active category only', async () => {
    const cat = (await owner.post('/v1/categories', { name: 'Hot drinks' })).json();
    const res = await owner.post('/v1/products', tea('CAT', { category_id: cat.id }));
    expect(res.json().category_id).toBe(cat.id);
    const missing = await owner.post('/v1/products', {
      ...tea('CAT2'),
      category_id: '01890000-0000-7000-8000-000000000000',
    });
    expectProblem(missing, 404, 'category_not_found');
    await owner.post(`/v1/categories/${cat.id}/archive`);
    const archived = await owner.post('/v1/products', tea('CAT3', { category_id: cat.id }));
    expectProblem(archived, 400, 'validation_failed');
    expect(archived.json().errors[0].field).toBe('category_id');
  });
});

describe('PATCH /v1/products/:id and archive', () => {
  it('changes only what differs and audits before and after', async () => {
    const p = (await owner.post('/v1/products', tea('PATCH'))).json();
    const res = await owner.patch(`/v1/products/${p.id}`, { name: 'Sencha', description: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Sencha', description: null });
    expect(await shop.audit({ entityId: p.id, last: 1 })).toMatchAudit([
      {
        action: 'product.updated',
        data: {
          before: { name: 'Green Tea', description: 'Loose leaf' },
          after: { name: 'Sencha', description: null },
        },
      },
    ]);
    await owner.patch(`/v1/products/${p.id}`, { name: 'Sencha' });
    expect(await shop.audit({ entityId: p.id })).toHaveLength(2);
    expectProblem(await owner.patch(`/v1/products/${p.id}`, {}), 400, 'validation_failed');
  });

  it('archives a product with its variants; lists hide it unless include_archived', async () => {
    const p = (await owner.post('/v1/products', tea('ARCH'))).json();
    const res = await owner.post(`/v1/products/${p.id}/archive`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().archived_at).not.toBeNull();
    expect(res.json().variants.every((v: { archived_at: string | null }) => v.archived_at !== null)).toBe(true);
    expect(await shop.audit({ entityId: p.id, last: 1 })).toMatchAudit([
      {
        action: 'product.archived',
        data: { name: 'Green Tea', archived_variant_ids: p.variants.map((v: { id: string }) => v.id) },
      },
    ]);
    expect(await shop.audit({ entityId: p.variants[0].id, last: 1 })).toMatchAudit(['variant.archived']);
    const ids = async (query: string) =>
      (await owner.get(`/v1/products?limit=200${query}`)).json<{ data: { id: string }[] }>().data.map((x) => x.id);
    expect(await ids('')).not.toContain(p.id);
    expect(await ids('&include_archived=true')).toContain(p.id);
    // Archived SKUs stay reserved.
    const reuse = await owner.post('/v1/products', {
      name: 'X',
      variants: [{ sku: 'ARCH-S', price_cents: 1 }],
    });
    expectProblem(reuse, 409, 'sku_taken');
    const again = await owner.post(`/v1/products/${p.id}/archive`);
    expect(again.json().archived_at).toBe(res.json().archived_at);
    expectProblem(await cashier.post(`/v1/products/${p.id}/archive`), 403, 'forbidden');
  });
});

describe('tenant isolation', () => {
  it("answers 404 for another tenant's product and variant", async () => {
    const p = (await owner.post('/v1/products', tea('ISO'))).json();
    expectProblem(await other.as('owner').get(`/v1/products/${p.id}`), 404, 'product_not_found');
    expectProblem(await other.as('owner').patch(`/v1/products/${p.id}`, { name: 'Mine' }), 404, 'product_not_found');
    expectProblem(await other.as('owner').post(`/v1/products/${p.id}/archive`), 404, 'product_not_found');
    const v = p.variants[0].id;
    expectProblem(await other.as('owner').get(`/v1/variants/${v}`), 404, 'variant_not_found');
    expectProblem(await other.as('owner').patch(`/v1/variants/${v}`, { price_cents: 1 }), 404, 'variant_not_found');
    expectProblem(await other.as('owner').get('/v1/products/lookup?barcode=ISO1'), 422, 'unknown_barcode');
    const list = await other.as('owner').get('/v1/products?q=green&limit=200');
    expect(list.json().data.map((x: { id: string }) => x.id)).not.toContain(p.id);
    expect((await owner.get(`/v1/products/${p.id}`)).statusCode).toBe(200);
  });
});

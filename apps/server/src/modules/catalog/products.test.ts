import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestTenant,
  expectProblem,
  login,
  type TestApp,
  type TestTenant,
} from '../../../test/harness.ts';

let t: TestApp;
let shop: TestTenant;
let other: TestTenant;
let owner: string;
let cashier: string;
let otherOwner: string;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestTenant(t);
  other = await createTestTenant(t, 'Other Shop');
  owner = (await login(t, shop.emails.owner)).access_token;
  cashier = (await login(t, shop.emails.cashier)).access_token;
  otherOwner = (await login(t, other.emails.owner)).access_token;
});
afterAll(() => t.close());

function call(token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
}

async function auditOf(entityId: string): Promise<{ action: string; data: Record<string, unknown> }[]> {
  const { rows } = await t.deps.db.system.query(
    'SELECT action, data FROM audit_events WHERE entity_id = $1 ORDER BY occurred_at, seq',
    [entityId],
  );
  return rows as { action: string; data: Record<string, unknown> }[];
}

async function countRows(tenantId: string): Promise<{ products: number; variants: number; barcodes: number }> {
  const { rows } = await t.deps.db.system.query<{ products: number; variants: number; barcodes: number }>(
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
    const res = await call(owner, 'POST', '/v1/products', tea('TEA'));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(res.headers.location).toBe(`/v1/products/${body.id}`);
    expect(body).toMatchObject({ name: 'Green Tea', description: 'Loose leaf', category_id: null, archived_at: null });
    expect(body.variants).toMatchObject([
      { sku: 'TEA-S', name: 'Small', price_cents: 350, tax_code: 'STD', barcodes: ['TEA1', 'TEA2'] },
      { sku: 'TEA-L', name: 'Large', price_cents: 450, tax_code: 'ZERO', barcodes: [] },
    ]);
    expect((await auditOf(body.id)).map((a) => a.action)).toEqual(['product.created']);
    expect(await auditOf(body.variants[0].id)).toEqual([
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
    expect((await call(cashier, 'GET', `/v1/products/${body.id}`)).json()).toEqual(body);
  });

  it('keeps SKUs unique per tenant (409 sku_taken) but lets another tenant use the same SKU', async () => {
    await call(owner, 'POST', '/v1/products', { name: 'Mug', variants: [{ sku: 'MUG-1', price_cents: 900 }] });
    const before = await countRows(shop.tenantId);
    const taken = await call(owner, 'POST', '/v1/products', {
      name: 'Mug again',
      variants: [
        { sku: 'MUG-2', price_cents: 900 },
        { sku: 'MUG-1', price_cents: 900 },
      ],
    });
    expectProblem(taken, 409, 'sku_taken');
    expect(taken.json().errors[0].field).toBe('variants[1].sku');
    const twice = await call(owner, 'POST', '/v1/products', {
      name: 'Twice',
      variants: [
        { sku: 'TWICE', price_cents: 1 },
        { sku: 'TWICE', price_cents: 2 },
      ],
    });
    expectProblem(twice, 409, 'sku_taken');
    expect(twice.json().errors[0].field).toBe('variants[1].sku');
    expect(await countRows(shop.tenantId)).toEqual(before);

    const elsewhere = await call(otherOwner, 'POST', '/v1/products', {
      name: 'Mug',
      variants: [{ sku: 'MUG-1', price_cents: 800 }],
    });
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);
  });

  it('keeps barcodes unique per tenant (409 barcode_taken) and writes nothing', async () => {
    await call(owner, 'POST', '/v1/products', {
      name: 'Pen',
      variants: [{ sku: 'PEN-1', price_cents: 100, barcodes: ['4006381333931'] }],
    });
    const before = await countRows(shop.tenantId);
    const res = await call(owner, 'POST', '/v1/products', {
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
    const negative = await call(owner, 'POST', '/v1/products', {
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
      expectProblem(await call(owner, 'POST', '/v1/products', payload), 400, 'validation_failed');
    }
    const unknown = await call(owner, 'POST', '/v1/products', {
      name: 'Bad',
      colour: 'red',
      variants: [{ sku: 'BAD-1', price_cents: 1 }],
    });
    expect(unknown.json().errors[0]).toEqual({ field: 'colour', message: 'is not a known field' });
    expect(await countRows(shop.tenantId)).toEqual(before);
  });

  it('is for managers and above: a cashier gets 403', async () => {
    expectProblem(await call(cashier, 'POST', '/v1/products', tea('CASH')), 403, 'forbidden');
    const manager = (await login(t, shop.emails.manager)).access_token;
    expect((await call(manager, 'POST', '/v1/products', tea('MGR'))).statusCode).toBe(201);
  });

  it('replays a request with the same Idempotency-Key instead of creating twice', async () => {
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/v1/products',
        headers: { ...bearer(owner), 'idempotency-key': 'create-idem-1' },
        payload: tea('IDEM'),
      });
    const first = await send();
    const again = await send();
    expect(first.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
  });

  it('puts a product into an active category only', async () => {
    const cat = (await call(owner, 'POST', '/v1/categories', { name: 'Hot drinks' })).json();
    const res = await call(owner, 'POST', '/v1/products', tea('CAT', { category_id: cat.id }));
    expect(res.json().category_id).toBe(cat.id);
    const missing = await call(owner, 'POST', '/v1/products', {
      ...tea('CAT2'),
      category_id: '01890000-0000-7000-8000-000000000000',
    });
    expectProblem(missing, 404, 'category_not_found');
    await call(owner, 'POST', `/v1/categories/${cat.id}/archive`);
    const archived = await call(owner, 'POST', '/v1/products', tea('CAT3', { category_id: cat.id }));
    expectProblem(archived, 400, 'validation_failed');
    expect(archived.json().errors[0].field).toBe('category_id');
  });
});

describe('PATCH /v1/products/:id and archive', () => {
  it('changes only what differs and audits before and after', async () => {
    const p = (await call(owner, 'POST', '/v1/products', tea('PATCH'))).json();
    const res = await call(owner, 'PATCH', `/v1/products/${p.id}`, { name: 'Sencha', description: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Sencha', description: null });
    expect((await auditOf(p.id)).at(-1)).toEqual({
      action: 'product.updated',
      data: { before: { name: 'Green Tea', description: 'Loose leaf' }, after: { name: 'Sencha', description: null } },
    });
    await call(owner, 'PATCH', `/v1/products/${p.id}`, { name: 'Sencha' });
    expect(await auditOf(p.id)).toHaveLength(2);
    expectProblem(await call(owner, 'PATCH', `/v1/products/${p.id}`, {}), 400, 'validation_failed');
  });

  it('archives a product with its variants; lists hide it unless include_archived', async () => {
    const p = (await call(owner, 'POST', '/v1/products', tea('ARCH'))).json();
    const res = await call(owner, 'POST', `/v1/products/${p.id}/archive`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().archived_at).not.toBeNull();
    expect(res.json().variants.every((v: { archived_at: string | null }) => v.archived_at !== null)).toBe(true);
    expect((await auditOf(p.id)).at(-1)).toEqual({
      action: 'product.archived',
      data: { name: 'Green Tea', archived_variant_ids: p.variants.map((v: { id: string }) => v.id) },
    });
    expect((await auditOf(p.variants[0].id)).at(-1)?.action).toBe('variant.archived');
    const ids = async (query: string) =>
      (await call(owner, 'GET', `/v1/products?limit=200${query}`))
        .json<{ data: { id: string }[] }>()
        .data.map((x) => x.id);
    expect(await ids('')).not.toContain(p.id);
    expect(await ids('&include_archived=true')).toContain(p.id);
    // Archived SKUs stay reserved.
    const reuse = await call(owner, 'POST', '/v1/products', {
      name: 'X',
      variants: [{ sku: 'ARCH-S', price_cents: 1 }],
    });
    expectProblem(reuse, 409, 'sku_taken');
    const again = await call(owner, 'POST', `/v1/products/${p.id}/archive`);
    expect(again.json().archived_at).toBe(res.json().archived_at);
    expectProblem(await call(cashier, 'POST', `/v1/products/${p.id}/archive`), 403, 'forbidden');
  });
});

describe('tenant isolation', () => {
  it("answers 404 for another tenant's product and variant", async () => {
    const p = (await call(owner, 'POST', '/v1/products', tea('ISO'))).json();
    expectProblem(await call(otherOwner, 'GET', `/v1/products/${p.id}`), 404, 'product_not_found');
    expectProblem(await call(otherOwner, 'PATCH', `/v1/products/${p.id}`, { name: 'Mine' }), 404, 'product_not_found');
    expectProblem(await call(otherOwner, 'POST', `/v1/products/${p.id}/archive`), 404, 'product_not_found');
    const v = p.variants[0].id;
    expectProblem(await call(otherOwner, 'GET', `/v1/variants/${v}`), 404, 'variant_not_found');
    expectProblem(await call(otherOwner, 'PATCH', `/v1/variants/${v}`, { price_cents: 1 }), 404, 'variant_not_found');
    expectProblem(await call(otherOwner, 'GET', '/v1/products/lookup?barcode=ISO1'), 422, 'unknown_barcode');
    const list = await call(otherOwner, 'GET', '/v1/products?q=green&limit=200');
    expect(list.json().data.map((x: { id: string }) => x.id)).not.toContain(p.id);
    expect((await call(owner, 'GET', `/v1/products/${p.id}`)).statusCode).toBe(200);
  });
});

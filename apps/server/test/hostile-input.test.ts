import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/platform/ids.ts';
import { seedShop, type SeedShop } from '../src/modules/orders/orders.fixtures.ts';
import { bearer, createTestApp, expectProblem, type TestApp } from './harness.ts';
import { percentEncoded } from './url-encoding.ts';

// Bad input that used to reach PostgreSQL or the totals engine and come back as a 500 (docs/api.md "Text and
// numbers"): each case is now a 4xx problem with a code, and nothing is written.

let t: TestApp;
let shop: SeedShop;
let other: SeedShop;
/** Rows of the shop, made here so that updates have something to update. */
const ids = { category: '', product: '', variant: '', intent: '', order: '' };

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

function call(method: Method, url: string, payload?: unknown, token = shop.tokens.owner) {
  return t.app.inject({
    method,
    url,
    headers: bearer(token),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function created(method: Method, url: string, payload: unknown, token = shop.tokens.owner) {
  const res = await call(method, url, payload, token);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<{ id: string }>();
}

/**
 * Every row the tenant owns, hashed table by table (tables with a tenant_id, and the tenant's own row): equal
 * before and after means nothing was written.
 */
async function fingerprint(tenantId: string): Promise<Record<string, string>> {
  const { rows: tables } = await t.deps.db.system.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`,
  );
  const out: Record<string, string> = {};
  for (const { table_name: table } of [{ table_name: 'tenants' }, ...tables]) {
    const key = table === 'tenants' ? 'id' : 'tenant_id';
    const { rows } = await t.deps.db.system.query<{ h: string }>(
      `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${table} x WHERE ${key} = $1`,
      [tenantId],
    );
    out[table] = rows[0]?.h ?? '';
  }
  return out;
}

beforeAll(async () => {
  t = await createTestApp({ DEFAULT_TAX_RATE_BPS: '800' });
  shop = await seedShop(t, 'Hostile Shop');
  other = await seedShop(t, 'Other Shop');
  ids.category = (await created('POST', '/v1/categories', { name: 'Drinks' })).id;
  const product = await created('POST', '/v1/products', {
    name: 'Tea',
    variants: [{ sku: 'SKU-TEA', price_cents: 250 }],
  });
  ids.product = product.id;
  ids.variant = (product as unknown as { variants: { id: string }[] }).variants[0]!.id;
  ids.order = (
    await created(
      'POST',
      '/v1/orders/sku',
      { register_id: shop.registerId, items: [{ sku: 'SKU-SODA', quantity: 1 }] },
      shop.tokens.cashier,
    )
  ).id;
}, 120_000);
afterAll(() => t.close());

/** The text fields and query parameters of at least 20 operations, each with `bad` in one text value. */
function textCases(bad: string): [string, Method, () => string, unknown][] {
  const q = percentEncoded(bad);
  const reg = () => shop.registerId;
  return [
    ['location name', 'POST', () => '/v1/locations', { name: `Shop${bad}` }],
    ['location time zone', 'POST', () => '/v1/locations', { name: 'Zone', timezone: `UTC${bad}` }],
    ['location rename', 'PATCH', () => `/v1/locations/${shop.locationId}`, { name: `Main${bad}` }],
    ['register name', 'POST', () => '/v1/registers', { location_id: shop.locationId, name: `Till${bad}` }],
    ['register rename', 'PATCH', () => `/v1/registers/${reg()}`, { name: `Till${bad}` }],
    [
      'user display name',
      'POST',
      () => '/v1/users',
      { email: `n${Date.now()}@example.com`, display_name: `Ann${bad}`, roles: ['cashier'] },
    ],
    ['user rename', 'PATCH', () => `/v1/users/${shop.userIds.cashier}`, { display_name: `Cass${bad}` }],
    ['user password', 'PATCH', () => `/v1/users/${shop.userIds.cashier}`, { password: `long enough${bad}` }],
    ['user search', 'GET', () => `/v1/users?q=${q}`, undefined],
    ['category name', 'POST', () => '/v1/categories', { name: `Food${bad}` }],
    ['category rename', 'PATCH', () => `/v1/categories/${ids.category}`, { name: `Food${bad}` }],
    ['product name', 'POST', () => '/v1/products', { name: `Pie${bad}`, variants: [{ sku: 'PIE-1', price_cents: 1 }] }],
    ['product rename', 'PATCH', () => `/v1/products/${ids.product}`, { name: `Tea${bad}` }],
    [
      'variant name',
      'POST',
      () => `/v1/products/${ids.product}/variants`,
      { sku: 'TEA-2', name: `Big${bad}`, price_cents: 1 },
    ],
    ['variant rename', 'PATCH', () => `/v1/variants/${ids.variant}`, { name: `Big${bad}` }],
    ['product search', 'GET', () => `/v1/products?q=${q}`, undefined],
    ['business name', 'PATCH', () => '/v1/settings/tenant', { name: `Shop${bad}` }],
    ['tenant time zone', 'PATCH', () => '/v1/settings/tenant', { timezone: `UTC${bad}` }],
    ['receipt footer', 'PATCH', () => '/v1/settings/tenant', { receipt_footer_lines: [`Bye${bad}`] }],
    ['void reason', 'POST', () => `/v1/orders/${ids.order}/void`, { reason: `Oops${bad}` }],
    ['sku in compute', 'POST', () => '/v1/orders/compute', { items: [{ sku: `SKU-SODA${bad}`, quantity: 1 }] }],
    [
      'sku in a sale',
      'POST',
      () => '/v1/orders/sku',
      { register_id: reg(), items: [{ sku: `SKU-SODA${bad}`, quantity: 1 }] },
    ],
    [
      'order note',
      'POST',
      () => '/v1/orders/sku',
      { register_id: reg(), items: [{ sku: 'SKU-SODA', quantity: 1 }], note: `Hi${bad}` },
    ],
    ['stock search', 'GET', () => `/v1/inventory?q=${q}`, undefined],
    [
      'stock note',
      'POST',
      () => '/v1/inventory/adjustments',
      { location_id: shop.locationId, lines: [{ sku: 'SKU-SODA', delta: 1, reason: 'count', note: `x${bad}` }] },
    ],
    ['audit entity type', 'GET', () => `/v1/audit/events?entity_type=${q}`, undefined],
    ['audit entity id', 'GET', () => `/v1/audit/events?entity_id=${q}`, undefined],
    [
      'webhook description',
      'POST',
      () => '/v1/webhook_endpoints',
      { url: 'https://example.com/h', event_types: ['*'], description: `d${bad}` },
    ],
    ['refund reason', 'POST', () => `/v1/payment_intents/${newId()}/refund`, { reason: `r${bad}` }],
  ];
}

describe('a control character in any text field or text query parameter', () => {
  for (const [name, bad] of [
    ['NUL', '\u0000'],
    ['ESC', '\u001b'],
    ['DEL', '\u007f'],
    ['a C1 control (NEL)', '\u0085'],
  ] as const) {
    it(`refuses ${name} with 400 validation_failed and writes nothing`, async () => {
      const before = await fingerprint(shop.tenantId);
      const answers: Record<string, string> = {};
      for (const [field, method, url, payload] of textCases(bad)) {
        const res = await call(method, url(), payload);
        answers[field] = `${res.statusCode} ${res.headers['x-error-code'] as string}`;
        if (res.statusCode === 400) expectProblem(res, 400, 'validation_failed');
      }
      expect(Object.values(answers).filter((a) => a !== '400 validation_failed')).toEqual([]);
      expect(await fingerprint(shop.tenantId)).toEqual(before);
    });
  }

  it('names the field and says what is wrong, never echoing the value', async () => {
    const res = await call('PATCH', `/v1/locations/${shop.locationId}`, { name: 'Main\u0000Street' });
    expectProblem(res, 400, 'validation_failed');
    expect(res.json().errors).toEqual([{ field: 'name', message: expect.stringMatching(/control character/) }]);
    expect(res.body).not.toContain('Main');
  });

  it('refuses a line break or a tab in a one-line field', async () => {
    for (const bad of ['\n', '\r', '\t']) {
      expectProblem(await call('POST', '/v1/categories', { name: `Two${bad}Lines` }), 400, 'validation_failed');
    }
  });

  it('keeps tabs and line breaks in the multi-line fields: a description and an order note', async () => {
    const product = await created('POST', '/v1/products', {
      name: 'Scone',
      description: 'Fresh daily.\r\nServed warm:\tbutter, jam.',
      variants: [{ sku: 'SCONE-1', price_cents: 300 }],
    });
    expect(product).toMatchObject({ description: 'Fresh daily.\r\nServed warm:\tbutter, jam.' });
    const order = await created(
      'POST',
      '/v1/orders/sku',
      { register_id: shop.registerId, items: [{ sku: 'SCONE-1', quantity: 1 }], note: 'Table 4\nno sugar' },
      shop.tokens.cashier,
    );
    expect(order).toMatchObject({ note: 'Table 4\nno sugar' });
    for (const bad of ['\u0000', '\u000b', '\u001b', '\u0085']) {
      expectProblem(
        await call('PATCH', `/v1/products/${product.id}`, { description: `Fresh${bad}` }),
        400,
        'validation_failed',
      );
    }
  });

  it('refuses a NUL in a CSV import cell with 400, writing nothing', async () => {
    const before = await fingerprint(shop.tenantId);
    for (const csv of [
      'product_name,sku,price_cents\nBad\u0000Name,CSV-1,100\n',
      'product_name,sku,price_cents,variant_name,category\nGood,CSV-2,100,Big\u0000,Cat\n',
      'product_name,sku,price_cents,category\nGood,CSV-3,100,Cat\u001b\n',
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/products/import?allow_partial=true',
        headers: { ...bearer(shop.tokens.owner), 'content-type': 'text/csv' },
        payload: csv,
      });
      expect(res.statusCode, res.body).toBeLessThan(500);
      expect(res.json()).toMatchObject({ written: false, counts: { errors: 1 } });
    }
    expect(await fingerprint(shop.tenantId)).toEqual(before);
  });

  it('accepts right-to-left marks, emoji and other well-formed text, and gives it back unchanged', async () => {
    const name = 'שלום \u200fقهوة\u202e ☕ 😀 \ufeff \u2028 \ufffe end';
    const category = await created('POST', '/v1/categories', { name });
    expect(category).toMatchObject({ name });
    const users = await call('GET', `/v1/users?q=${encodeURIComponent('😀')}`);
    expect(users.statusCode, users.body).toBe(200);
  });
});

describe('a lone UTF-16 surrogate', () => {
  it('is refused in every text field and query parameter with 400, writing nothing', async () => {
    for (const bad of ['\uD800', '\uDFFF', 'x\uDC00\uD800y']) {
      const before = await fingerprint(shop.tenantId);
      const answers: Record<string, string> = {};
      for (const [field, method, url, payload] of textCases(bad)) {
        const res = await call(method, url(), payload);
        answers[field] = `${res.statusCode} ${res.headers['x-error-code'] as string}`;
      }
      expect(Object.values(answers).filter((a) => a !== '400 validation_failed')).toEqual([]);
      expect(await fingerprint(shop.tenantId)).toEqual(before);
    }
  });

  it("is refused in a user's display name (it was a 500 from the audit insert)", async () => {
    const res = await call('PATCH', `/v1/users/${shop.userIds.cashier}`, { display_name: 'Cass \uD83D' });
    expectProblem(res, 400, 'validation_failed');
    expect(res.json().errors).toEqual([{ field: 'display_name', message: expect.stringMatching(/surrogate/) }]);
  });

  it('is refused in a category name (it was stored as U+FFFD)', async () => {
    expectProblem(await call('POST', '/v1/categories', { name: 'Snacks \uDE00' }), 400, 'validation_failed');
    const list = await call('GET', '/v1/categories?limit=200');
    expect(list.body).not.toContain('\ufffd');
  });

  it('is refused as the bytes of a surrogate in a query string, or as bytes that are not UTF-8', async () => {
    for (const bytes of ['%ED%A0%80', '%ED%B0%80', '%FF', '%C3', '%E2%82']) {
      const res = await call('GET', `/v1/products?q=a${bytes}b`);
      expectProblem(res, 400, 'validation_failed');
    }
  });
});

describe('a total past 2^53 with every input inside its limits', () => {
  const MAX_PRICE = 100_000_000_000;
  const MAX_QUANTITY = 100_000;
  let sku = '';

  beforeAll(async () => {
    sku = 'SKU-GOLD';
    await created('POST', '/v1/products', { name: 'Gold bar', variants: [{ sku, price_cents: MAX_PRICE }] });
  });

  it('takes the largest price in the catalog, and refuses one past it', async () => {
    const product = await created('POST', '/v1/products', {
      name: 'Max',
      variants: [{ sku: 'SKU-MAX', price_cents: MAX_PRICE }],
    });
    const variant = (product as unknown as { variants: { id: string; price_cents: number }[] }).variants[0]!;
    expect(variant.price_cents).toBe(MAX_PRICE);
    const patched = await call('PATCH', `/v1/variants/${variant.id}`, { price_cents: MAX_PRICE - 1 });
    expect(patched.statusCode, patched.body).toBe(200);
    expectProblem(
      await call('PATCH', `/v1/variants/${variant.id}`, { price_cents: MAX_PRICE + 1 }),
      400,
      'validation_failed',
    );
    expectProblem(
      await call('POST', `/v1/products/${product.id}/variants`, { sku: 'SKU-MAX-2', price_cents: MAX_PRICE + 1 }),
      400,
      'validation_failed',
    );
  });

  it('prices a large but exact total (90,000 × 10^11 = 9 × 10^15, untaxed)', async () => {
    const res = await call('POST', '/v1/orders/compute', {
      items: [{ sku, quantity: 90_000 }],
      tax_rate_bps: 0,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().total_cents).toBe(9_000_000_000_000_000);
  });

  it('answers compute with 422 amount_too_large', async () => {
    for (const payload of [
      { items: [{ sku, quantity: MAX_QUANTITY }] },
      // Each line is exact; their sum is not.
      {
        items: [
          { sku, quantity: 50_000 },
          { sku, quantity: 50_000 },
        ],
        tax_rate_bps: 0,
      },
      // The subtotal is exact (9 × 10^15); the tax added on top takes the total past 2^53.
      { items: [{ sku, quantity: 90_000 }], tax_rate_bps: 1000 },
    ]) {
      const res = await call('POST', '/v1/orders/compute', payload);
      expectProblem(res, 422, 'amount_too_large');
      expect(res.json().detail).not.toMatch(/RangeError|at /);
    }
  });

  it('answers a sale with 422 amount_too_large and writes nothing', async () => {
    const before = await fingerprint(shop.tenantId);
    for (const path of ['/v1/orders/sku', '/v1/orders']) {
      const res = await call(
        'POST',
        path,
        {
          id: newId(),
          register_id: shop.registerId,
          items: [path.endsWith('sku') ? { sku, quantity: MAX_QUANTITY } : { product_id: undefined, quantity: 1 }],
        },
        shop.tokens.cashier,
      );
      if (path.endsWith('sku')) expectProblem(res, 422, 'amount_too_large');
    }
    expect(await fingerprint(shop.tenantId)).toEqual(before);
  });
});

describe("a client order id that is another tenant's order id", () => {
  const sale = (id: string, s: SeedShop) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/orders/sku',
      headers: bearer(s.tokens.cashier),
      payload: {
        id,
        register_id: s.registerId,
        items: [{ sku: 'SKU-SODA', quantity: 1 }],
        tenders: [{ method: 'cash', amount_cents: 1000 }],
      },
    });

  it("is free in this tenant: the sale is made here, and the other tenant's order is untouched and unseen", async () => {
    const id = newId();
    const first = await sale(id, other);
    expect(first.statusCode, first.body).toBe(201);
    const otherBefore = await fingerprint(other.tenantId);
    // Order ids are scoped to their tenant (migration 0018): nothing tells that the id exists elsewhere.
    const res = await sale(id, shop);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ id, register_id: shop.registerId, status: 'completed' });
    expect(res.body).not.toContain(other.tenantId);
    expect(res.body).not.toContain(other.registerId);
    expect(await fingerprint(other.tenantId)).toEqual(otherBefore);
    // Each tenant reads its own order under that id.
    const mine = await t.app.inject({ method: 'GET', url: `/v1/orders/${id}`, headers: bearer(shop.tokens.cashier) });
    expect(mine.json().register_id).toBe(shop.registerId);
    const theirs = await t.app.inject({
      method: 'GET',
      url: `/v1/orders/${id}`,
      headers: bearer(other.tokens.cashier),
    });
    expect(theirs.json().register_id).toBe(other.registerId);
    // A parked sale (no tenders) under another tenant's id is free too.
    const parkedId = newId();
    expect((await sale(parkedId, other)).statusCode).toBe(201);
    const parked = await t.app.inject({
      method: 'POST',
      url: '/v1/orders/sku',
      headers: bearer(shop.tokens.cashier),
      payload: { id: parkedId, register_id: shop.registerId, items: [{ sku: 'SKU-SODA', quantity: 1 }] },
    });
    expect(parked.statusCode, parked.body).toBe(201);
    expect(parked.json().status).toBe('open');
  });

  it('still replays within the tenant, and a fresh id still sells', async () => {
    const id = newId();
    expect((await sale(id, shop)).statusCode).toBe(201);
    expect((await sale(id, shop)).statusCode).toBe(200);
    expect((await sale(newId(), shop)).statusCode).toBe(201);
  });
});

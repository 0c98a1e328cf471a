import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createTestApp, expectProblem, type TestApp } from '../../../test/harness.ts';
import { seedShop, type SeedShop } from '../orders/orders.fixtures.ts';

let t: TestApp;
let shop: SeedShop;

beforeAll(async () => {
  t = await createTestApp();
  shop = await seedShop(t);
});
afterAll(async () => {
  await t.close();
});

interface ChangesPage {
  items: ({ sku: string } & Record<string, unknown>)[];
  next_cursor: string;
  has_more: boolean;
}

async function changes(query = '', token = shop.tokens.cashier): Promise<ChangesPage> {
  const res = await t.app.inject({ url: `/v1/catalog/changes${query}`, headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Moves every catalog row's updated_at an hour back, so the feed's 30-second overlap is behind us. */
async function age(): Promise<void> {
  const client = new pg.Client({ connectionString: t.database.ownerUrl });
  await client.connect();
  try {
    for (const table of ['products', 'product_variants', 'categories']) {
      await client.query(`UPDATE ${table} SET updated_at = updated_at - interval '1 hour'`);
    }
  } finally {
    await client.end();
  }
}

describe('GET /v1/catalog/changes', () => {
  test('everything at first, in pages; then only what changed, archived items included', async () => {
    await age();
    const first = await changes('?limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.has_more).toBe(true);
    const second = await changes(`?limit=1&cursor=${first.next_cursor}`);
    expect(second.has_more).toBe(false);
    const all = [...first.items, ...second.items];
    expect(all.map((i) => i.sku).sort()).toEqual(['SKU-SODA', 'SKU-WATER']);
    expect(all.find((i) => i.sku === 'SKU-SODA')).toMatchObject({
      name: 'Soda Can',
      unit_price_cents: 199,
      tax_code: 'STD',
      archived: false,
      barcodes: [],
    });
    const quiet = await changes(`?cursor=${second.next_cursor}`);
    expect(quiet.items).toEqual([]);

    // A price change and an archived product both come as changes after the cursor.
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/v1/variants/${shop.variants.soda}`,
      headers: bearer(shop.tokens.owner),
      payload: { price_cents: 249 },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const water = await t.app.inject({
      url: `/v1/variants/${shop.variants.water}`,
      headers: bearer(shop.tokens.owner),
    });
    const archive = await t.app.inject({
      method: 'POST',
      url: `/v1/products/${water.json().product_id}/archive`,
      headers: bearer(shop.tokens.owner),
    });
    expect(archive.statusCode, archive.body).toBe(200);
    const delta = await changes(`?cursor=${quiet.next_cursor}`);
    expect(delta.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sku: 'SKU-SODA', unit_price_cents: 249, archived: false }),
        expect.objectContaining({ sku: 'SKU-WATER', archived: true }),
      ]),
    );
    // Recent changes are sent again on the next poll (the overlap that catches late commits); upserts are idempotent.
    const again = await changes(`?cursor=${delta.next_cursor}`);
    expect(again.items.map((i) => i.sku).sort()).toEqual(['SKU-SODA', 'SKU-WATER']);
  });

  test('a cursor this API did not issue is 400 invalid_cursor; a bad limit 400', async () => {
    const res = await t.app.inject({ url: '/v1/catalog/changes?cursor=bogus', headers: bearer(shop.tokens.cashier) });
    expectProblem(res, 400, 'invalid_cursor');
    const forged = Buffer.from(JSON.stringify({ t: 'x', id: 'y' })).toString('base64url');
    expectProblem(
      await t.app.inject({ url: `/v1/catalog/changes?cursor=${forged}`, headers: bearer(shop.tokens.cashier) }),
      400,
      'invalid_cursor',
    );
    expectProblem(
      await t.app.inject({ url: '/v1/catalog/changes?limit=0', headers: bearer(shop.tokens.cashier) }),
      400,
      'validation_failed',
    );
  });

  test('signed out is 401', async () => {
    expectProblem(await t.app.inject({ url: '/v1/catalog/changes' }), 401, 'unauthorized');
  });
});

import { beforeAll, describe, expect, test } from 'vitest';
import { seedCatalog, type SeedCatalog } from '../../../test/fixtures.ts';
import { expectProblem, useShop, type Client, type Tenant } from '../../../test/harness.ts';

const shop = useShop({ name: 'Seed Shop', roles: ['owner', 'manager', 'till'] });
let seed: SeedCatalog;
let other: Tenant;
let otherSeed: SeedCatalog;

beforeAll(async () => {
  seed = await seedCatalog(shop);
  other = await shop.addTenant('Other Shop', ['owner', 'manager', 'till']);
  otherSeed = await seedCatalog(other);
});

interface TillItem {
  variant_id: string;
  product_id: string;
  sku: string;
  name: string;
  unit_price_cents: number;
  barcodes: string[];
  archived: boolean;
}
interface ChangesPage {
  items: TillItem[];
  categories: { id: string; name: string }[];
  next_cursor: string;
  has_more: boolean;
}

async function changes(query = '', as: Client = shop.as('till')): Promise<ChangesPage> {
  const res = await as.get(`/v1/catalog/changes${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Pages from `cursor` to the end, as the till does; returns every page's items in order and the last cursor. */
async function poll(cursor?: string, limit = 1000, as: Client = shop.as('till')) {
  const items: TillItem[] = [];
  let next = cursor;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await changes(`?limit=${limit}${next === undefined ? '' : `&cursor=${next}`}`, as);
    items.push(...page.items);
    next = page.next_cursor;
    if (!page.has_more) return { items, cursor: next };
  }
  throw new Error('the feed never ended');
}

async function api(
  method: 'POST' | 'PATCH',
  url: string,
  payload?: Record<string, unknown>,
  as: Client = shop.as('owner'),
): Promise<{ id: string } & Record<string, unknown>> {
  const res = await as.request(method, url, payload);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}

async function createProduct(name: string, variants: { sku: string; name?: string; price_cents: number }[]) {
  return (await api('POST', '/v1/products', { name, variants })) as unknown as {
    id: string;
    variants: { id: string; sku: string }[];
  };
}

describe('GET /v1/catalog/changes', () => {
  test('everything at first, in pages; then only what changed, archived items included, nothing twice', async () => {
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
    await api('PATCH', `/v1/variants/${seed.variants.soda}`, { price_cents: 249 });
    const water = await shop.as('owner').get(`/v1/variants/${seed.variants.water}`);
    await api('POST', `/v1/products/${water.json().product_id}/archive`);
    const delta = await changes(`?cursor=${quiet.next_cursor}`);
    expect(delta.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sku: 'SKU-SODA', unit_price_cents: 249, archived: false }),
        expect.objectContaining({ sku: 'SKU-WATER', archived: true }),
      ]),
    );
    // With no writer in flight the horizon is exact: the next poll sends nothing again.
    const again = await changes(`?cursor=${delta.next_cursor}`);
    expect(again.items).toEqual([]);
  });

  test('a barcode added and a barcode removed through the API each come in the next delta', async () => {
    const p = await createProduct('Barcode Tea', [{ sku: 'BC-TEA', price_cents: 300 }]);
    const variantId = p.variants[0]?.id as string;
    let { cursor } = await poll();

    await api('PATCH', `/v1/variants/${variantId}`, { barcodes: ['5012345678900'] });
    const added = await poll(cursor);
    expect(added.items).toEqual([expect.objectContaining({ sku: 'BC-TEA', barcodes: ['5012345678900'] })]);
    cursor = added.cursor;

    await api('PATCH', `/v1/variants/${variantId}`, { barcodes: [] });
    const removed = await poll(cursor);
    expect(removed.items).toEqual([expect.objectContaining({ sku: 'BC-TEA', barcodes: [] })]);
  });

  test('a barcode written without touching its variant (as imports and scripts can) still comes', async () => {
    const p = await createProduct('Quiet Barcode', [{ sku: 'BC-QUIET', price_cents: 100 }]);
    const variantId = p.variants[0]?.id as string;
    let { cursor } = await poll();
    await shop.db.query('INSERT INTO variant_barcodes (tenant_id, barcode, variant_id) VALUES ($1, $2, $3)', [
      shop.tenantId,
      'QUIET-0001',
      variantId,
    ]);
    const added = await poll(cursor);
    expect(added.items).toEqual([expect.objectContaining({ sku: 'BC-QUIET', barcodes: ['QUIET-0001'] })]);
    cursor = added.cursor;
    await shop.db.query(`DELETE FROM variant_barcodes WHERE barcode = 'QUIET-0001'`);
    const removed = await poll(cursor);
    expect(removed.items).toEqual([expect.objectContaining({ sku: 'BC-QUIET', barcodes: [] })]);
  });

  test("a product's rename, category change and archive come for each of its variants", async () => {
    const p = await createProduct('Juice', [
      { sku: 'JUICE-S', name: 'Small', price_cents: 200 },
      { sku: 'JUICE-L', name: 'Large', price_cents: 300 },
    ]);
    let { cursor } = await poll();

    await api('PATCH', `/v1/products/${p.id}`, { name: 'Orange Juice' });
    const renamed = await poll(cursor);
    expect(renamed.items.map((i) => i.name).sort()).toEqual(['Orange Juice – Large', 'Orange Juice – Small']);
    cursor = renamed.cursor;

    const category = await api('POST', '/v1/categories', { name: 'Juices' });
    await api('PATCH', `/v1/products/${p.id}`, { category_id: category.id });
    const moved = await poll(cursor);
    expect(moved.items).toHaveLength(2);
    expect(moved.items.every((i) => (i as unknown as { category_id: string }).category_id === category.id)).toBe(true);
    cursor = moved.cursor;

    // A description is not shown by the till: no change for it.
    await api('PATCH', `/v1/products/${p.id}`, { description: 'Freshly squeezed' });
    expect((await poll(cursor)).items).toEqual([]);

    await api('POST', `/v1/products/${p.id}/archive`);
    const archived = await poll(cursor);
    expect(archived.items.map((i) => [i.sku, i.archived]).sort()).toEqual([
      ['JUICE-L', true],
      ['JUICE-S', true],
    ]);
  });

  test('paging over many changes while the catalog changes misses nothing and repeats nothing unchanged', async () => {
    let { cursor } = await poll();
    const created = await createProduct(
      'Bulk',
      Array.from({ length: 60 }, (_, i) => ({ sku: `BULK-${String(i).padStart(2, '0')}`, price_cents: 100 + i })),
    );
    const ids = created.variants.map((v) => v.id);
    const seen = new Map<string, TillItem>();
    const repeats: string[] = [];
    const changedDuring = new Set<string>();
    let pages = 0;
    for (;;) {
      const page = await changes(`?limit=7&cursor=${cursor}`);
      for (const item of page.items) {
        if (seen.has(item.variant_id) && !changedDuring.has(item.variant_id)) repeats.push(item.sku);
        seen.set(item.variant_id, item);
      }
      cursor = page.next_cursor;
      // Between pages, change one variant already sent and one not yet sent.
      if (pages === 2) {
        for (const id of [ids[0], ids[59]] as string[]) {
          changedDuring.add(id);
          await api('PATCH', `/v1/variants/${id}`, { price_cents: 999 });
        }
      }
      pages++;
      if (!page.has_more) break;
    }
    expect(repeats).toEqual([]);
    expect(ids.every((id) => seen.has(id))).toBe(true);
    // The till's merge by variant id ends with the catalog as it is now.
    expect(seen.get(ids[0] as string)?.unit_price_cents).toBe(999);
    expect(seen.get(ids[59] as string)?.unit_price_cents).toBe(999);
    expect(seen.get(ids[30] as string)?.unit_price_cents).toBe(130);
    expect(pages).toBeGreaterThanOrEqual(9);
  });

  test('a change whose transaction commits after a poll is not skipped', async () => {
    const p = await createProduct('Slow Writer', [{ sku: 'SLOW-1', price_cents: 500 }]);
    const variantId = p.variants[0]?.id as string;
    const { cursor } = await poll();
    const writer = await shop.db.connect();
    try {
      await writer.query('BEGIN');
      await writer.query('UPDATE product_variants SET price_cents = 555, updated_at = now() WHERE id = $1', [
        variantId,
      ]);
      // Polls while the writer is in flight: its row is not visible, and the cursor must not pass it.
      const during = await poll(cursor);
      expect(during.items).toEqual([]);
      // A second, unrelated change committed meanwhile, stamped after the slow one.
      await api('PATCH', `/v1/variants/${seed.variants.soda}`, { price_cents: 211 });
      const meanwhile = await poll(during.cursor);
      await writer.query('COMMIT');
      const after = await poll(meanwhile.cursor);
      expect([...meanwhile.items, ...after.items].map((i) => i.sku)).toContain('SLOW-1');
      expect(after.items.find((i) => i.sku === 'SLOW-1')?.unit_price_cents).toBe(555);
    } finally {
      writer.release();
    }
  });

  test("another tenant's changes never appear", async () => {
    const { cursor } = await poll();
    await createProduct('Their Secret', [{ sku: 'THEIR-1', price_cents: 1 }]);
    const res = await other.as('owner').post('/v1/products', {
      name: 'Other Tenant Item',
      variants: [{ sku: 'OTHER-1', price_cents: 1, barcodes: ['999000'] }],
    });
    expect(res.statusCode, res.body).toBe(201);
    await api('PATCH', `/v1/variants/${otherSeed.variants.soda}`, { price_cents: 1 }, other.as('owner'));
    const mine = await poll(cursor);
    expect(mine.items.map((i) => i.sku)).toEqual(['THEIR-1']);
    const everything = await poll(undefined, 1000);
    expect(everything.items.some((i) => i.sku === 'OTHER-1')).toBe(false);
    const theirFeed = await poll(undefined, 1000, other.as('till'));
    expect(theirFeed.items.map((i) => i.sku).sort()).toEqual(['OTHER-1', 'SKU-SODA', 'SKU-WATER']);
    expect(theirFeed.items.find((i) => i.sku === 'SKU-SODA')?.variant_id).toBe(otherSeed.variants.soda);
  });

  test('a cursor this API did not issue is 400 invalid_cursor; a bad limit 400', async () => {
    const till = shop.as('till');
    const res = await till.get('/v1/catalog/changes?cursor=bogus');
    expectProblem(res, 400, 'invalid_cursor');
    const forged = Buffer.from(JSON.stringify({ t: 'x', id: 'y' })).toString('base64url');
    expectProblem(await till.get(`/v1/catalog/changes?cursor=${forged}`), 400, 'invalid_cursor');
    expectProblem(await till.get('/v1/catalog/changes?limit=0'), 400, 'validation_failed');
  });

  test('signed out is 401', async () => {
    expectProblem(await shop.anon.get('/v1/catalog/changes'), 401, 'unauthorized');
  });
});

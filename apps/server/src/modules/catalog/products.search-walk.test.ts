// Search over more products than one walk covers (migration 0012: the first 4,000 products after the cursor are
// walked in id order, the rest found through the indexes): pages must equal a brute-force scan, term by term.
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { useShop } from '../../../test/harness.ts';

const PRODUCTS = 10_000;

const shop = useShop();
const owner = shop.as('owner');

beforeAll(async () => {
  // Set-based, behind the API's back (it would take minutes through it). Ids are UUIDv7-like and ascending, a day
  // old, so products made through the API later sort after them. Every 97th name has "Zebra" (rare: it straddles
  // the walk), every other one "Stripe" (common), and every 1,500th SKU starts with ZEBRA-.
  const base = Date.now() - 86_400_000;
  await shop.db.query(
    `INSERT INTO products (id, tenant_id, name)
     SELECT (lpad(to_hex($2::bigint + g), 12, '0') || '70008' || lpad(to_hex(g), 15, '0'))::uuid, $1,
            'Item ' || g || CASE WHEN g % 97 = 0 THEN ' Zebra' ELSE '' END
                         || CASE WHEN g % 2 = 0 THEN ' Stripe' ELSE '' END
       FROM generate_series(1, $3::int) g`,
    [shop.tenantId, base, PRODUCTS],
  );
  await shop.db.query(
    `INSERT INTO product_variants (id, tenant_id, product_id, sku, price_cents)
     SELECT (lpad(to_hex($2::bigint + g), 12, '0') || '70009' || lpad(to_hex(g), 15, '0'))::uuid, $1,
            (lpad(to_hex($2::bigint + g), 12, '0') || '70008' || lpad(to_hex(g), 15, '0'))::uuid,
            CASE WHEN g % 1500 = 0 THEN 'ZEBRA-' ELSE 'W-' END || g, 100
       FROM generate_series(1, $3::int) g`,
    [shop.tenantId, base, PRODUCTS],
  );
  await shop.db.query('ANALYZE products, product_variants');
  for (const [name, sku] of [
    ['Espresso Beans', 'ESP-1'],
    ['Expresso Beans Deluxe', 'ESP-2'],
    ['Newest Zebra', 'NEW-1'],
  ]) {
    const res = await owner.post('/v1/products', { name, variants: [{ sku, price_cents: 100 }] });
    expect(res.statusCode, res.body).toBe(201);
  }
});

/** Every product id of the tenant whose name contains `term` or that has a SKU starting with it, in id order. */
async function bruteForce(term: string): Promise<string[]> {
  const { rows } = await shop.db.query<{ id: string }>(
    `SELECT p.id FROM products p WHERE p.tenant_id = $1
        AND (lower(p.name) LIKE '%' || $2 || '%'
             OR EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND lower(v.sku) LIKE $2 || '%'))
      ORDER BY p.id`,
    [shop.tenantId, term],
  );
  return rows.map((r) => r.id);
}

/** The ids of every page of a search, following next_cursor (at most `maxPages`). */
async function pages(q: string, limit: number, maxPages = 1000): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < maxPages; n++) {
    const url: string = `/v1/products?q=${encodeURIComponent(q)}&limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
    const res: LightMyRequestResponse = await owner.get(url);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ data: { id: string }[]; next_cursor: string | null }>();
    ids.push(...body.data.map((p: { id: string }) => p.id));
    cursor = body.next_cursor;
    if (cursor === null) break;
  }
  return ids;
}

describe('search beyond one walk of 4,000 products', () => {
  it('pages through a rare term (names and SKU prefixes) exactly as a full scan finds it', async () => {
    const expected = await bruteForce('zebra');
    // Names with Zebra, the newest product, SKUs starting ZEBRA- (no product has both).
    expect(expected.length).toBe(Math.floor(PRODUCTS / 97) + 1 + Math.floor(PRODUCTS / 1500));
    expect(await pages('zebra', 50)).toEqual(expected);
    expect(await pages('ZEBRA-', 4)).toEqual(await bruteForce('zebra-'));
  });

  it('pages through a common term exactly as a full scan finds it', async () => {
    const expected = await bruteForce('stripe');
    const found = await pages('stripe', 200, 8);
    expect(found).toEqual(expected.slice(0, 1600));
    expect(new Set(found).size).toBe(found.length);
  });

  it('finds similar names only when no name contains the term and no SKU starts with it', async () => {
    const names = async (q: string): Promise<string[]> => {
      const res = await owner.get(`/v1/products?q=${encodeURIComponent(q)}`);
      return res.json<{ data: { name: string }[] }>().data.map((p: { name: string }) => p.name);
    };
    expect(await names('expresso beans')).toEqual(['Expresso Beans Deluxe']);
    expect(await names('espreso beans')).toContain('Espresso Beans');
    expect(await names('qqqxxzz')).toEqual([]);
  });
});

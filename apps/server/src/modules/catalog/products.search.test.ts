import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, useShop } from '../../../test/harness.ts';

const shop = useShop({ roles: ['owner', 'cashier'] });
const owner = shop.as('owner');
const cashier = shop.as('cashier');
const ids: Record<string, string> = {};

beforeAll(async () => {
  const snacks = (await owner.post('/v1/categories', { name: 'Snacks' })).json();
  const products: [string, string, string | null][] = [
    ['Dark Chocolate Bar', 'CHOC-DARK', snacks.id],
    ['Milk Chocolate Bar', 'CHOC-MILK', snacks.id],
    ['White Chocolate Buttons', 'CHOC-WHITE', snacks.id],
    ['Hot Chocolate Powder', 'DRINK-HC', null],
    ['Espresso Beans', 'COF-ESP', null],
    ['100% Arabica', 'COF-ARA', null],
    ['Chocolate Spread (archived)', 'CHOC-SPREAD', null],
  ];
  for (const [name, sku, category_id] of products) {
    const res = await owner.post('/v1/products', { name, category_id, variants: [{ sku, price_cents: 199 }] });
    expect(res.statusCode, res.body).toBe(201);
    ids[sku] = res.json().id;
  }
  await owner.post(`/v1/products/${ids['CHOC-SPREAD']}/archive`);
});

/** Every page of a listing, following next_cursor. */
async function allPages(query: string, limit = 2): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: LightMyRequestResponse = await cashier.get(
      `/v1/products?limit=${limit}&${query}${cursor === null ? '' : `&cursor=${cursor}`}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.data.length).toBeLessThanOrEqual(limit);
    names.push(...body.data.map((p: { name: string }) => p.name));
    cursor = body.next_cursor;
    pages++;
  } while (cursor !== null);
  return { names, pages };
}

describe('GET /v1/products?q=', () => {
  it('finds products by a fragment of the name, in pages of 2 without duplicates', async () => {
    const { names, pages } = await allPages('q=chocolate');
    expect(names).toEqual([
      'Dark Chocolate Bar',
      'Milk Chocolate Bar',
      'White Chocolate Buttons',
      'Hot Chocolate Powder',
    ]);
    expect(new Set(names).size).toBe(names.length);
    expect(pages).toBe(2);
    expect((await allPages('q=COLATE')).names).toHaveLength(4);
  });

  it('finds similar spellings by trigram similarity', async () => {
    expect((await allPages('q=expresso%20beans')).names).toEqual(['Espresso Beans']);
  });

  it('finds products by SKU prefix, and by exact SKU', async () => {
    expect((await allPages('q=choc-')).names).toEqual([
      'Dark Chocolate Bar',
      'Milk Chocolate Bar',
      'White Chocolate Buttons',
    ]);
    expect((await allPages('q=COF-ESP')).names).toEqual(['Espresso Beans']);
  });

  it('takes LIKE wildcards in q literally', async () => {
    expect((await allPages('q=100%25')).names).toEqual(['100% Arabica']);
    expect((await allPages('q=_')).names).toEqual([]);
  });

  it('filters by category and shows archived products only on request', async () => {
    const snacks = await allPages(
      `category_id=${(await owner.get(`/v1/products/${ids['CHOC-DARK']}`)).json().category_id}`,
    );
    expect(snacks.names).toHaveLength(3);
    expect((await allPages('q=spread')).names).toEqual([]);
    expect((await allPages('q=spread&include_archived=true')).names).toEqual(['Chocolate Spread (archived)']);
  });

  it('lists everything without q, and refuses bad queries', async () => {
    expect((await allPages('', 200)).names).toHaveLength(6);
    expectProblem(await cashier.get('/v1/products?q='), 400, 'validation_failed');
    expectProblem(await cashier.get('/v1/products?q=%20%20'), 400, 'validation_failed');
    expectProblem(await cashier.get('/v1/products?limit=201'), 400, 'validation_failed');
    expectProblem(await cashier.get('/v1/products?cursor=nonsense'), 400, 'invalid_cursor');
    expectProblem(await cashier.get('/v1/products?sort=name'), 400, 'validation_failed');
  });
});

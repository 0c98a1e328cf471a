import 'fake-indexeddb/auto';
import { expect, test } from 'vitest';
import type { CatalogChanges, TillItem } from '../api/types.ts';
import { catalog } from '../data/catalog.ts';
import { getMeta, tillDb } from '../data/db.ts';
import { syncCatalog } from './sync.ts';

function item(n: number, patch: Partial<TillItem> = {}): TillItem {
  const id = `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  return {
    variant_id: id,
    product_id: id,
    sku: `SKU-${n}`,
    name: `Item ${n}`,
    category_id: null,
    unit_price_cents: 100 + n,
    tax_code: 'STD',
    barcodes: [`20000000000${n}`],
    archived: false,
    ...patch,
  };
}

/** The delta feed as the server pages it: one page per call, each naming the cursor it ends at. */
function feed(pages: CatalogChanges[]) {
  const asked: (string | undefined)[] = [];
  const fetchPage = (cursor: string | undefined) => {
    asked.push(cursor);
    const page = pages.shift();
    return page === undefined ? Promise.reject(new Error('no more pages')) : Promise.resolve(page);
  };
  return { asked, fetchPage };
}

function page(items: TillItem[], next: string, hasMore: boolean): CatalogChanges {
  return { items, categories: [], next_cursor: next, has_more: hasMore };
}

test('the delta feed is pulled page by page into the cache and the index, and resumes from the stored cursor', async () => {
  const first = feed([page([item(1), item(2)], 'c1', true), page([item(3)], 'c2', false)]);
  expect(await syncCatalog(first.fetchPage)).toBe(3);
  expect(first.asked).toEqual([undefined, 'c1']);
  expect(await getMeta('catalog.cursor')).toBe('c2');
  expect(catalog.size).toBe(3);
  expect(catalog.lookup('200000000003')?.name).toBe('Item 3');
  expect(await (await tillDb()).count('items')).toBe(3);

  // The next poll asks from where the last one ended; an archived item leaves the cache and the index.
  const next = feed([page([item(2, { archived: true }), item(1, { unit_price_cents: 999 })], 'c3', false)]);
  expect(await syncCatalog(next.fetchPage)).toBe(2);
  expect(next.asked).toEqual(['c2']);
  expect(catalog.get(item(2).variant_id)).toBeUndefined();
  expect(catalog.get(item(1).variant_id)?.unit_price_cents).toBe(999);
  expect(await (await tillDb()).count('items')).toBe(2);
});

test('an interrupted sync keeps the pages it stored and resumes after them', async () => {
  const broken = feed([page([item(7)], 'c7', true)]);
  await expect(syncCatalog(broken.fetchPage)).rejects.toThrow('no more pages');
  expect(await getMeta('catalog.cursor')).toBe('c7');
  const resumed = feed([page([item(8)], 'c8', false)]);
  await syncCatalog(resumed.fetchPage);
  expect(resumed.asked).toEqual(['c7']);
  expect(catalog.lookup('SKU-8')?.name).toBe('Item 8');
});

import { call, ok, api, type TillItem, type TillCategory } from '../api/api.ts';
import { CatalogIndex } from './catalog-index.ts';
import { getMeta, tillDb } from './db.ts';

const CURSOR_KEY = 'catalog.cursor';

/** The catalog the till sells from: loaded from IndexedDB at start, kept fresh by the server's delta feed. */
export const catalog = new CatalogIndex();

/** Loads the cached catalog into memory (works offline). */
export async function loadCachedCatalog(): Promise<void> {
  const db = await tillDb();
  const [items, categories] = await Promise.all([db.getAll('items'), db.getAll('categories')]);
  catalog.apply(items, categories);
}

/**
 * Pulls every change since the stored cursor, page by page, writing each page and its cursor in one IndexedDB
 * transaction, so an interrupted sync resumes where it stopped. Returns how many items changed.
 */
export async function syncCatalog(): Promise<number> {
  let cursor = await getMeta<string>(CURSOR_KEY);
  let changed = 0;
  for (;;) {
    const page = await call(() =>
      ok(api.GET('/v1/catalog/changes', { params: { query: { limit: 2000, ...(cursor ? { cursor } : {}) } } })),
    );
    await store(page.items, page.categories, page.next_cursor);
    catalog.apply(page.items, page.categories);
    changed += page.items.length;
    cursor = page.next_cursor;
    if (!page.has_more) return changed;
  }
}

async function store(items: readonly TillItem[], categories: readonly TillCategory[], cursor: string) {
  const db = await tillDb();
  const tx = db.transaction(['items', 'categories', 'meta'], 'readwrite');
  const itemStore = tx.objectStore('items');
  for (const item of items) {
    if (item.archived) void itemStore.delete(item.variant_id);
    else void itemStore.put(item);
  }
  for (const c of categories) void tx.objectStore('categories').put(c);
  void tx.objectStore('meta').put(cursor, CURSOR_KEY);
  await tx.done;
}

import type { CatalogChanges } from '../api/types.ts';
import { CatalogIndex } from './catalog-index.ts';
import { getMeta, tillDb } from './db.ts';

/** The catalog the till sells from: loaded from IndexedDB at start, kept fresh by the delta feed (app/sync.ts). */
export const catalog = new CatalogIndex();

/** Loads the cached catalog into memory (works offline). */
export async function loadCachedCatalog(): Promise<void> {
  const db = await tillDb();
  const [items, categories] = await Promise.all([db.getAll('items'), db.getAll('categories')]);
  catalog.apply(items, categories);
}

/** Where the delta feed resumes: the cursor of the last page stored, undefined before the first. */
export function catalogCursor(): Promise<string | undefined> {
  return getMeta('catalog.cursor');
}

/**
 * Stores one page of the delta feed and its cursor in one IndexedDB transaction, so an interrupted sync resumes
 * where it stopped, then applies it to the index in memory. Archived items leave the cache.
 */
export async function storeCatalogPage(page: Pick<CatalogChanges, 'items' | 'categories' | 'next_cursor'>) {
  const db = await tillDb();
  const tx = db.transaction(['items', 'categories', 'meta'], 'readwrite');
  const itemStore = tx.objectStore('items');
  for (const item of page.items) {
    if (item.archived) void itemStore.delete(item.variant_id);
    else void itemStore.put(item);
  }
  for (const c of page.categories) void tx.objectStore('categories').put(c);
  void tx.objectStore('meta').put(page.next_cursor, 'catalog.cursor');
  await tx.done;
  catalog.apply(page.items, page.categories);
}

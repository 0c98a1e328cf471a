import { api, call, ok } from './api.ts';
import type { CatalogChanges } from './types.ts';

/** How many items one page of the delta feed carries. */
const PAGE_SIZE = 2000;

/** One page of the catalog's delta feed: every change after `cursor` (from the start without one). */
export function catalogChanges(cursor: string | undefined): Promise<CatalogChanges> {
  return call(() =>
    ok(api.GET('/v1/catalog/changes', { params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } })),
  );
}

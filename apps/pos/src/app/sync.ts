import { isNetworkError } from '../api/api.ts';
import { catalogChanges } from '../api/catalog.ts';
import { tillContext } from '../api/pos.ts';
import type { CatalogChanges, TillContext } from '../api/types.ts';
import { catalogCursor, storeCatalogPage } from '../data/catalog.ts';
import { setMeta, type DeviceConfig } from '../data/db.ts';
import { flushQueue } from './checkout.ts';
import { browserOnline, setOnline } from './connection.ts';
import { syncOfflineSignIn } from './offline-signin-sync.ts';

/** How often an open till polls: the queue, the pricing context and the catalog's delta feed. */
export const SYNC_EVERY_MS = 15_000;

/** One page of the delta feed after a cursor (the server's GET /v1/catalog/changes; tests pass their own). */
export type FetchCatalogPage = (cursor: string | undefined) => Promise<CatalogChanges>;

/**
 * Pulls every catalog change since the stored cursor, page by page; each page is stored with its cursor before the
 * next is asked for, so an interrupted sync resumes where it stopped. Returns how many items changed.
 */
export async function syncCatalog(fetchPage: FetchCatalogPage = catalogChanges): Promise<number> {
  let cursor = await catalogCursor();
  let changed = 0;
  for (;;) {
    const page = await fetchPage(cursor);
    await storeCatalogPage(page);
    changed += page.items.length;
    cursor = page.next_cursor;
    if (!page.has_more) return changed;
  }
}

/** What the poll tells the screens. */
export interface SyncHandlers {
  /** The register's pricing context changed (a tax override, a money setting, the discount limit). */
  readonly onContext: (context: TillContext) => void;
  /** The delta feed brought changed items: the cart and the grid follow the catalog. */
  readonly onCatalogChanged: () => void;
}

/**
 * Keeps an open till in step with the server: every `everyMs`, and at once when the browser reports the network
 * back, it sends the queue, reports offline sign-ins and refreshes the PINs it may check offline, fetches the
 * pricing context (so a setting changed in the back office during a shift
 * changes the till's totals as the server's) and pulls the catalog's changes. Browser events and each outcome set
 * the connection state. Returns the function that stops it.
 */
export function startSync(device: DeviceConfig, handlers: SyncHandlers, everyMs = SYNC_EVERY_MS): () => void {
  // The context as last fetched by this poll: unchanged, it is neither stored again nor handed on.
  let last: string | undefined;
  const refreshContext = async () => {
    const context = await tillContext(device.register_id);
    const json = JSON.stringify(context);
    if (json === last) return;
    last = json;
    handlers.onContext(context);
    await setMeta('context', context);
  };
  const tick = () => {
    if (!browserOnline()) return;
    void flushQueue();
    syncOfflineSignIn(device).catch((err: unknown) => {
      if (isNetworkError(err)) setOnline(false);
    });
    refreshContext().catch((err: unknown) => {
      if (isNetworkError(err)) setOnline(false);
    });
    syncCatalog().then(
      (n) => {
        setOnline(true);
        if (n > 0) handlers.onCatalogChanged();
      },
      (err: unknown) => {
        if (isNetworkError(err)) setOnline(false);
      },
    );
  };
  const online = () => {
    setOnline(true);
    tick();
  };
  const offline = () => setOnline(false);
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  const timer = setInterval(tick, everyMs);
  return () => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
    clearInterval(timer);
  };
}

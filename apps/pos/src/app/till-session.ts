import type { Role } from '@novapos/domain';
import { isNetworkError } from '../api/api.ts';
import { whoAmI } from '../api/auth.ts';
import { tillContext } from '../api/pos.ts';
import type { TillContext } from '../api/types.ts';
import { loadCachedCatalog } from '../data/catalog.ts';
import { getMeta, setMeta, type DeviceConfig } from '../data/db.ts';
import { refreshQueueCounts } from './checkout.ts';
import { setOnline } from './connection.ts';
import { syncOfflineSignIn } from './offline-signin-sync.ts';

/** The cashier signed in at this till. */
export interface Cashier {
  readonly display_name: string;
  readonly roles: readonly Role[];
}

/** How the till started after a PIN sign-in (or a reload with a session). */
export type TillStart =
  /** From the server: who is signed in and the register's pricing context, now cached on the device. */
  | { readonly kind: 'online'; readonly cashier: Cashier; readonly context: TillContext }
  /**
   * The server did not answer: the till sells from what it cached (the context) as the last cashier of this tab, or
   * the one just signed in offline (`offline-session.ts`).
   */
  | { readonly kind: 'offline'; readonly cashier: Cashier; readonly context: TillContext }
  /** Neither: the server refused, or the till has nothing cached to sell from. */
  | { readonly kind: 'failed'; readonly error: unknown };

/** Who is signed in in this tab, for an offline start (sessionStorage: the same lifetime as the session). */
const CASHIER_KEY = 'novapos.till.cashier';

/** Keeps who is signed in for an offline start (an online start, or an offline sign-in, writes it). */
export function rememberCashier(cashier: Cashier): void {
  sessionStorage.setItem(CASHIER_KEY, JSON.stringify(cashier));
}

/** What works offline, first: the cached catalog into memory and the queue's counts for the status bar. */
export async function openLocalTill(): Promise<void> {
  await loadCachedCatalog();
  await refreshQueueCounts();
}

/** Who is signed in and the register's pricing context: from the server, or, offline, from this device's cache. */
export async function startSession(device: DeviceConfig): Promise<TillStart> {
  try {
    const me = await whoAmI();
    const cashier: Cashier = { display_name: me.display_name, roles: me.roles };
    rememberCashier(cashier);
    const context = await tillContext(device.register_id);
    await setMeta('context', context);
    setOnline(true);
    // The PINs this till may check offline, fresh from the server (its own verifier re-dated by this sign-in).
    await syncOfflineSignIn(device).catch(() => undefined);
    return { kind: 'online', cashier, context };
  } catch (err) {
    if (!isNetworkError(err)) return { kind: 'failed', error: err };
    setOnline(false);
    const context = await getMeta('context');
    const who = sessionStorage.getItem(CASHIER_KEY);
    if (context === undefined || who === null) return { kind: 'failed', error: err };
    return { kind: 'offline', cashier: JSON.parse(who) as Cashier, context };
  }
}

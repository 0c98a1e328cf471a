import { ApiError, isNetworkError } from '../api/api.ts';
import { offlinePins, reportOfflineSignIn } from '../api/offline-signin.ts';
import type { DeviceConfig } from '../data/db.ts';
import { removeOfflineSignIn, storeOfflinePins, unreportedOfflineSignIns } from '../data/offline-signin.ts';

/** Whether a refused report may succeed later (the network, a session to renew, a busy server), or never will. */
function worthRetrying(err: unknown): boolean {
  if (isNetworkError(err) || !(err instanceof ApiError)) return true;
  return err.status === 401 || err.status === 429 || err.status >= 500;
}

/**
 * Sends the server every sign-in this till accepted offline (each is recorded and audited once, however often it is
 * sent), oldest first. One the server will never take (4xx other than a session or rate problem) is dropped, so it
 * cannot block the others; anything else stops the run for the next sync.
 */
export async function reportOfflineSignIns(): Promise<void> {
  for (const record of await unreportedOfflineSignIns()) {
    try {
      await reportOfflineSignIn(record);
    } catch (err) {
      if (worthRetrying(err)) return;
    }
    await removeOfflineSignIn(record.id);
  }
}

/**
 * After each online sync: reports offline sign-ins, then replaces the stored PIN verifiers with the server's list
 * (users it no longer lists, deactivated ones among them, are gone from the till at once).
 */
export async function syncOfflineSignIn(device: DeviceConfig): Promise<void> {
  await reportOfflineSignIns();
  await storeOfflinePins(await offlinePins(device.register_id));
}

import type { OfflineBlock } from '../api/types.ts';
import { getMeta, tillDb, type DeviceKey, type QueuedSale } from './db.ts';

/** This device's signing key, or undefined on a till set up before device keys (or where Ed25519 is missing). */
export function deviceKey(): Promise<DeviceKey | undefined> {
  return getMeta('device.key');
}

/** Keeps a new device key; its device's sequence starts again at 1 (a new device id, a new sequence). */
export async function saveDeviceKey(key: DeviceKey): Promise<void> {
  const tx = (await tillDb()).transaction('meta', 'readwrite');
  await Promise.all([tx.store.put(key, 'device.key'), tx.store.put(0, 'offline.seq'), tx.done]);
}

/** The number the next offline sale of this device gets (the sequence starts at 1). */
export async function nextOfflineSeq(): Promise<number> {
  return ((await getMeta('offline.seq')) ?? 0) + 1;
}

/**
 * Queues a sale under the number `seq` of this device's offline sequence, in ONE IndexedDB transaction with the
 * counter's increment: the number is taken if and only if the sale is stored, so the sequence has no hole and no
 * number is used twice, even across reloads. The sale was signed (asynchronously, which an IndexedDB transaction
 * cannot wait for) before; if another tab took `seq` meanwhile, nothing is written and `false` comes back, and the
 * caller signs again under the next number.
 */
export async function enqueueWithSeq(sale: QueuedSale, offline: OfflineBlock): Promise<boolean> {
  const db = await tillDb();
  const tx = db.transaction(['meta', 'queue'], 'readwrite');
  const last = ((await tx.objectStore('meta').get('offline.seq')) as number | undefined) ?? 0;
  if (last + 1 !== offline.seq) {
    tx.abort();
    await tx.done.catch(() => undefined);
    return false;
  }
  await Promise.all([
    tx.objectStore('meta').put(offline.seq, 'offline.seq'),
    tx.objectStore('queue').add({ ...sale, body: { ...sale.body, offline } }),
    tx.done,
  ]);
  return true;
}

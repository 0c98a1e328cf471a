import { tillDb } from './db.ts';

/** Every key the till keeps in Web Storage starts with this (the cashier's session and who is signed in). */
const STORAGE_PREFIX = 'novapos.till.';

/** Sales on this device the server has not taken: waiting to be sent, or refused and kept for review. */
export async function unsentSales(): Promise<number> {
  return (await tillDb()).count('queue');
}

/** The reset did not run: more sales are unsent than the manager agreed to lose. */
export class UnsentSalesError extends Error {
  readonly unsent: number;
  constructor(unsent: number) {
    super(
      `${unsent} ${unsent === 1 ? 'sale has' : 'sales have'} not reached the server yet. Nothing was reset.` +
        ' Sign a cashier in with the network on so the till sends them, then reset.',
    );
    this.unsent = unsent;
  }
}

/**
 * Forgets this device's set-up: the register it is, the cached catalog, prices and cursor, the cart, parked carts
 * and the sale queue (IndexedDB), and the cashier's tokens (Web Storage). The queue is checked in the same
 * IndexedDB transaction that clears it, so a sale cannot slip in between the count the manager saw and the clear:
 * with more than `loseUnsent` unsent sales nothing is cleared and `UnsentSalesError` is thrown.
 */
export async function resetDevice(loseUnsent = 0): Promise<void> {
  const db = await tillDb();
  const tx = db.transaction(['meta', 'items', 'categories', 'queue', 'parked'], 'readwrite');
  const unsent = await tx.objectStore('queue').count();
  if (unsent > loseUnsent) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new UnsentSalesError(unsent);
  }
  await Promise.all([
    tx.objectStore('meta').clear(),
    tx.objectStore('items').clear(),
    tx.objectStore('categories').clear(),
    tx.objectStore('queue').clear(),
    tx.objectStore('parked').clear(),
    tx.done,
  ]);
  for (const storage of [sessionStorage, localStorage]) {
    for (const key of Object.keys(storage)) {
      if (key.startsWith(STORAGE_PREFIX)) storage.removeItem(key);
    }
  }
}

import type { Cart } from '../features/sale/cart.ts';
import { tillDb, type DeletedParkedSale, type ParkedCart } from './db.ts';

/** How many deleted parked sales the device remembers. */
const DELETED_KEPT = 200;

/** Puts a cart aside on this till (IndexedDB: it survives a reload and works offline), with why and by whom. */
export async function parkCart(cart: Cart, how: { label: string; cashier?: string | undefined }): Promise<void> {
  const parked: ParkedCart = {
    id: cart.id,
    parked_at: new Date().toISOString(),
    cart,
    label: how.label,
    ...(how.cashier === undefined ? {} : { cashier: how.cashier }),
  };
  await (await tillDb()).put('parked', parked);
}

export async function parkedCarts(): Promise<ParkedCart[]> {
  const all = await (await tillDb()).getAll('parked');
  return all.sort((a, b) => a.parked_at.localeCompare(b.parked_at));
}

/** Takes a parked cart back (it leaves the parked list). */
export async function resumeCart(id: string): Promise<Cart | undefined> {
  const db = await tillDb();
  const parked = await db.get('parked', id);
  if (parked === undefined) return undefined;
  await db.delete('parked', id);
  return parked.cart;
}

/**
 * Deletes a parked sale with a reason, recorded on this device (who, why, when, and the sale itself) in the same
 * transaction. A sale whose tenders the server holds is cancelled there first (the caller's business).
 */
export async function deleteParked(id: string, why: { reason: string; by: string }): Promise<void> {
  const tx = (await tillDb()).transaction(['parked', 'meta'], 'readwrite');
  const parked = await tx.objectStore('parked').get(id);
  if (parked !== undefined) {
    const log = ((await tx.objectStore('meta').get('parked.deleted')) ?? []) as DeletedParkedSale[];
    const entry: DeletedParkedSale = {
      id,
      deleted_at: new Date().toISOString(),
      deleted_by: why.by,
      reason: why.reason,
      parked,
    };
    await tx.objectStore('meta').put([...log, entry].slice(-DELETED_KEPT), 'parked.deleted');
    await tx.objectStore('parked').delete(id);
  }
  await tx.done;
}

/** The parked sales deleted at this till, oldest first. */
export async function deletedParked(): Promise<DeletedParkedSale[]> {
  return ((await (await tillDb()).get('meta', 'parked.deleted')) ?? []) as DeletedParkedSale[];
}

import type { Cart } from '../features/sale/cart.ts';
import { tillDb, type ShownReceipt } from './db.ts';

/**
 * The step that ends a sale on this device: the next sale's empty cart and the receipt on screen, in one
 * transaction, so no reload or crash can find the sold cart as the cart on screen.
 */
export async function saveSaleDone(next: Cart, receipt: ShownReceipt): Promise<void> {
  const tx = (await tillDb()).transaction('meta', 'readwrite');
  await Promise.all([tx.store.put(next, 'cart'), tx.store.put(receipt, 'receipt'), tx.done]);
}

/** The receipt left on screen (a reload during "Sale complete"), if any. */
export async function shownReceipt(): Promise<ShownReceipt | undefined> {
  return (await (await tillDb()).get('meta', 'receipt')) as ShownReceipt | undefined;
}

/** "New sale": the receipt leaves the screen. */
export async function clearShownReceipt(): Promise<void> {
  await (await tillDb()).delete('meta', 'receipt');
}

/** Whether a sale with this id is in the offline queue (it was completed: it must never be the cart again). */
export async function isQueued(saleId: string): Promise<boolean> {
  const all = await (await tillDb()).getAll('queue');
  return all.some((s) => s.id === saleId);
}

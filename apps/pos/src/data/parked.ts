import type { Cart } from '../features/sale/cart.ts';
import { tillDb, type ParkedCart } from './db.ts';

/** Puts a cart aside on this till (IndexedDB: it survives a reload and works offline). */
export async function parkCart(cart: Cart): Promise<void> {
  await (await tillDb()).put('parked', { id: cart.id, parked_at: new Date().toISOString(), cart });
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

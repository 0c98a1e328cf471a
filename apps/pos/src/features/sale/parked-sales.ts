import { cancelOrder } from '../../api/orders.ts';
import type { ParkedCart } from '../../data/db.ts';
import { deleteParked } from '../../data/parked.ts';

/**
 * Deletes a parked sale with a reason, recorded on this device (who, why, when, what). A parked sale the server holds
 * an open order for (a declined card left tenders on it) is cancelled there first, with the same reason — the server
 * records the cash as given back, voids or refunds the cards and audits it; when that fails (offline, refused) the
 * sale stays parked. An open order with nothing paid is cancelled as a courtesy: if that fails it is deleted anyway.
 */
export async function deleteParkedSale(parked: ParkedCart, reason: string, by: string): Promise<void> {
  const taken = parked.cart.taken;
  if (taken !== undefined) {
    try {
      await cancelOrder(parked.cart.id, reason);
    } catch (err) {
      if (taken.paid_cents > 0) throw err;
    }
  }
  await deleteParked(parked.id, { reason, by });
}

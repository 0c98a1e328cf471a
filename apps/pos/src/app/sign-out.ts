import { cartStore } from '../data/cart-store.ts';
import { parkCart } from '../data/parked.ts';
import { clearShownReceipt } from '../data/sale-done.ts';
import { newCart } from '../features/sale/cart.ts';

/**
 * The cashier leaves the till (signs out, or their session ends): the sale on screen is parked under their name
 * ("Signed out") and the screen's cart and receipt are cleared at once, so whoever signs in next starts with an
 * empty sale and finds that one in the parked sales (issue 13 §1.3). A sale whose tenders the server took is parked
 * the same way; it is finished or cancelled from there.
 */
export async function parkForNextCashier(cashierName: string | undefined): Promise<void> {
  const cart = cartStore.get();
  if (cart.lines.length > 0 || cart.taken !== undefined) {
    await parkCart(cart, { label: 'Signed out', cashier: cashierName });
  }
  await cartStore.replace(newCart());
  await clearShownReceipt();
}

/**
 * Ending a sale at the till: paying it (a new order, or what is left of the sale's open order), cancelling it, and
 * what the device keeps in between (issue 13 §1.1, §1.2). The rules:
 * - the step that completes or queues a sale also puts the next sale's empty cart and the receipt on the device, in
 *   one IndexedDB transaction, at once: a reload shows the receipt, never the sold cart;
 * - a sale is marked `sent: 'unanswered'` (saved at once) before it leaves, so a lost answer or a reload is settled by
 *   asking the server (GET /v1/orders/{id}) before anything else is sent under that id;
 * - tenders the server kept after a declined card stay on the sale (`taken`): the rest is paid on that order, and
 *   cancelling the sale gives them back (POST /v1/orders/{id}/cancel).
 */
import { ApiError, isNetworkError } from '../api/api.ts';
import { cancelOrder, getOrder, payOrder } from '../api/orders.ts';
import type { Order, TillContext } from '../api/types.ts';
import { cartStore } from '../data/cart-store.ts';
import type { ShownReceipt } from '../data/db.ts';
import { clearShownReceipt, isQueued, saveSaleDone, shownReceipt } from '../data/sale-done.ts';
import { receiptFromCart, receiptFromOrder } from '../features/receipt/receipt-data.ts';
import { cartTotals, newCart, type Cart, type TakenPayments } from '../features/sale/cart.ts';
import { saleKey } from '../features/sale/sale-identity.ts';
import { orderBody, type Tender } from '../features/tender/tenders.ts';
import { checkout } from './checkout.ts';

/** How paying ended: the receipt to show, or the payment screen again with what went wrong. */
export type PayOutcome =
  { readonly kind: 'done'; readonly shown: ShownReceipt } | { readonly kind: 'failed'; readonly error: unknown };

/** The tenders an order holds, as the till shows them. */
export function takenOf(order: Order): TakenPayments {
  return {
    total_cents: order.total_cents,
    paid_cents: order.paid_cents,
    tenders: order.tenders.map((t) => ({
      method: t.method,
      applied_cents: t.applied_cents,
      reference: t.reference,
      card_brand: t.card_brand,
      card_last4: t.card_last4,
    })),
  };
}

/** The server answered this sale id without completing it: the next request under it needs a new key. */
function answered(cart: Cart, taken: TakenPayments | undefined = cart.taken): Cart {
  const { sent: _sent, ...rest } = cart;
  return { ...rest, attempt: (cart.attempt ?? 0) + 1, ...(taken === undefined ? {} : { taken }) };
}

/** The sale is done: the next sale's empty cart and this receipt are written in one step, at once. */
async function finish(shown: ShownReceipt): Promise<PayOutcome> {
  await cartStore.replace(newCart(), (next) => saveSaleDone(next, shown));
  return { kind: 'done', shown };
}

function finishWithOrder(cart: Cart, order: Order, ctx: TillContext): Promise<PayOutcome> {
  return finish({ receipt: receiptFromOrder(order, ctx), saleId: cart.id, orderId: order.id, queued: false });
}

/**
 * A send of this sale got no answer: what does the server hold under its id? A completed order ends the sale; an
 * open one becomes the sale's taken payments; none frees the id (with a new key). Undefined when the server still
 * cannot be asked.
 */
async function settleUnanswered(
  cart: Cart,
  ctx: TillContext,
): Promise<{ done: PayOutcome } | { cart: Cart; changed: boolean } | { error: unknown }> {
  try {
    const order = await getOrder(cart.id);
    if (order.status === 'completed') return { done: await finishWithOrder(cart, order, ctx) };
    if (order.status !== 'open') {
      // Cancelled or voided meanwhile (another till, the back office): that id is spent, the sale goes on under a new one.
      const { sent: _sent, attempt: _attempt, taken: _taken, approval: _approval, ...rest } = cart;
      const fresh = { ...rest, id: crypto.randomUUID() };
      await cartStore.replace(fresh);
      return { cart: fresh, changed: false };
    }
    const next = answered(cart, takenOf(order));
    await cartStore.replace(next);
    return { cart: next, changed: (next.taken?.paid_cents ?? 0) !== (cart.taken?.paid_cents ?? 0) };
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 'order_not_found')) return { error: err };
    const next = answered(cart);
    await cartStore.replace(next);
    return { cart: next, changed: false };
  }
}

/** After a declined card the server keeps the other tenders on an open order under the sale id: read them. */
async function afterDecline(cart: Cart, error: ApiError): Promise<PayOutcome> {
  let taken = cart.taken;
  if (typeof error.body['order_id'] === 'string' || cart.taken !== undefined) {
    try {
      taken = takenOf(await getOrder(cart.id));
    } catch {
      // Not readable now: the next payment asks the server first.
      await cartStore.replace({ ...answered(cart), sent: 'unanswered' });
      return { kind: 'failed', error };
    }
  }
  await cartStore.replace(answered(cart, taken));
  return { kind: 'failed', error };
}

/** After a failed send: a decline keeps what was taken; a lost answer stays unanswered; a refusal frees the id. */
async function afterFailure(cart: Cart, error: unknown): Promise<PayOutcome> {
  if (error instanceof ApiError && error.code === 'payment_declined') return afterDecline(cart, error);
  if (!isNetworkError(error)) await cartStore.replace(answered(cart));
  return { kind: 'failed', error };
}

/**
 * Pays the sale on screen with `tenders`: as a new order (sent, or queued while offline) or, when the server already
 * holds tenders of it, on that order. Updates the cart on the device as it goes; `onSend` when a request leaves.
 */
export async function payCart(tenders: readonly Tender[], ctx: TillContext, onSend: () => void): Promise<PayOutcome> {
  let cart = cartStore.get();
  if (cart.sent === 'unanswered') {
    const settled = await settleUnanswered(cart, ctx);
    if ('done' in settled) return settled.done;
    if ('error' in settled) return { kind: 'failed', error: settled.error };
    cart = settled.cart;
    // The server holds other payments than the screen knew: the cashier looks at what is left first.
    if (settled.changed)
      return { kind: 'failed', error: new Error('This sale already has payments: check what is left.') };
  }
  // Only tenders that pay the sale leave the till, or none for a sale that costs nothing: an order sent without
  // tenders would be parked on the server.
  if (tenders.length === 0 && (cart.taken !== undefined || cartTotals(cart, ctx).total_cents > 0)) {
    return { kind: 'failed', error: new Error('Take a payment first: this sale is not paid.') };
  }
  const body = orderBody(cart, tenders, ctx);
  const sending = { ...cart, sent: 'unanswered' as const };
  await cartStore.replace(sending);

  if (cart.taken !== undefined) {
    onSend();
    try {
      const order = await payOrder(cart.id, body.tenders, saleKey(cart));
      return await finishWithOrder(cart, order, ctx);
    } catch (err) {
      return afterFailure(sending, err);
    }
  }

  const result = await checkout(body, {
    card: tenders.some((t) => t.method === 'card'),
    onSend,
    idempotencyKey: (cart.attempt ?? 0) > 0 ? saleKey(cart) : undefined,
  });
  if (result.kind === 'sent') return finishWithOrder(cart, result.order, ctx);
  if (result.kind === 'queued') {
    return finish({ receipt: receiptFromCart(cart, tenders, ctx), saleId: cart.id, orderId: undefined, queued: true });
  }
  return afterFailure(sending, result.error);
}

/**
 * Cancels the sale on screen whose tenders the server holds: the server records the cash as given back and voids
 * or refunds the cards (audited); the till starts a new sale. Throws when the server cannot be reached or refuses.
 */
export async function cancelSale(reason: string): Promise<Order> {
  const cart = cartStore.get();
  const order = await cancelOrder(cart.id, reason);
  await cartStore.replace(newCart());
  return order;
}

/**
 * At start: the cart and the receipt the device kept. A cart that is a completed sale (its receipt is the one on
 * screen, or it waits in the queue: a crash between the two writes) is never the cart again.
 */
export async function restoreSale(): Promise<ShownReceipt | undefined> {
  await cartStore.restore();
  const shown = await shownReceipt();
  const cart = cartStore.get();
  if (cart.lines.length > 0 && (shown?.saleId === cart.id || (await isQueued(cart.id)))) {
    await cartStore.replace(newCart());
  }
  return shown;
}

/** "New sale" after a receipt: the receipt leaves the screen (the empty cart is already there). */
export async function leaveReceipt(): Promise<void> {
  await clearShownReceipt();
}

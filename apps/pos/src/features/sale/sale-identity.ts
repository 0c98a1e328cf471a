import { newCart, type Cart } from './cart.ts';

/**
 * What a cart would send as its order, without the tenders: the lines (item, quantity, own discount), the order
 * discount and the note. Two carts with the same body are the same sale to the server (prices come from the
 * catalog when the sale arrives, so a repriced line is the same request).
 */
export function saleBody(cart: Cart): string {
  return JSON.stringify([
    cart.lines.map((l) => [l.variant_id, l.quantity, l.discount_bp ?? 0]),
    cart.discount_bp,
    cart.note.trim(),
  ]);
}

/** Tenders already taken on the server: the cart is that open order's now, and only paying or cancelling ends it. */
export function hasTakenMoney(cart: Cart): boolean {
  return (cart.taken?.paid_cents ?? 0) > 0;
}

/**
 * The cart after an edit of `before` into `after` (the same sale, same id), by the rule that a sale id never
 * carries two different sales (issue 13 §1.1):
 * - a cart whose tenders the server already holds cannot change (the edit is ignored: pay the rest or cancel);
 * - removing every line starts afresh: new id, no discount, approval, note or history;
 * - a cart that was sent under its id — without an answer, or the server kept an open order — gets a new id when its
 *   body changes (and loses its approval, which names the old id); a cart the server answered with a refusal kept
 *   nothing there and keeps its id (its next request has a new Idempotency-Key: `attempt`).
 * Any other edit (a new sale id, a repriced line, a new approval) passes unchanged.
 */
export function reviseCart(before: Cart, after: Cart): Cart {
  if (after.id !== before.id || after === before) return after;
  const changed = saleBody(after) !== saleBody(before);
  if (changed && hasTakenMoney(before)) return before;
  if (after.lines.length === 0 && before.lines.length > 0) return newCart();
  if (changed && (before.sent === 'unanswered' || before.taken !== undefined)) {
    const { approval: _approval, sent: _sent, attempt: _attempt, taken: _taken, ...rest } = after;
    return { ...rest, id: crypto.randomUUID() };
  }
  return after;
}

/** The Idempotency-Key of the next request for this sale: its id, then `<id>.<n>` after the server's n answers. */
export function saleKey(cart: Cart): string {
  return (cart.attempt ?? 0) === 0 ? cart.id : `${cart.id}.${cart.attempt ?? 0}`;
}

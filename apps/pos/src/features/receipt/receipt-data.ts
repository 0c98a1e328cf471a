import {
  receiptDataFromOrder,
  receiptFooter,
  saleReceiptData,
  type ReceiptData,
  type ReceiptNames,
} from '@novapos/domain';
import type { Order, TillContext } from '../../api/api.ts';
import { tillTaxRates, type Cart } from '../sale/cart.ts';
import type { Tender } from '../tender/tenders.ts';

/**
 * What every receipt of this till prints around the sale, as the server prints it. A context cached by an older
 * till (before address and footer were part of it) has neither: no address and the default footer until the
 * next poll brings the new context.
 */
export function receiptNames(ctx: TillContext): ReceiptNames {
  return {
    business_name: ctx.business_name,
    location_name: ctx.location_name,
    address_lines: (ctx as Partial<TillContext>).address_lines ?? [],
    register_name: ctx.register_name,
    time_zone: ctx.time_zone,
    footer_lines: receiptFooter((ctx as Partial<TillContext>).receipt_footer_lines),
  };
}

/** The receipt of an order the server confirmed: its numbers, not ours, by the server's own builder. */
export function receiptFromOrder(order: Order, ctx: TillContext): ReceiptData {
  return receiptDataFromOrder(order, receiptNames(ctx));
}

/**
 * The receipt of a sale completed offline: the domain's `saleReceiptData` — the cart priced as the server will
 * price it, settled by the server's tender rules, made into the order it will be and printed by the same builder
 * as the server's receipts — so it matches the order the server makes when the queue is sent, line for line
 * (receipts.parity.test.ts on the server); the number comes later.
 */
export function receiptFromCart(
  cart: Cart,
  tenders: readonly Tender[],
  ctx: TillContext,
  at: string = new Date().toISOString(),
): ReceiptData {
  // The note as the till sends it (orderBody): trimmed, none when blank.
  const note = cart.note.trim() === '' ? null : cart.note.trim();
  return saleReceiptData(
    { lines: cart.lines, discount_bp: cart.discount_bp, note },
    tenders,
    { rates: tillTaxRates(ctx), settings: ctx, currency: ctx.currency },
    receiptNames(ctx),
    at,
  );
}

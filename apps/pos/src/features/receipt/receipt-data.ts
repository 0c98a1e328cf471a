import { receiptFooter, settleTenders, type ReceiptData } from '@novapos/domain';
import type { Order, TillContext } from '../../api/api.ts';
import { cartTotals, type Cart } from '../sale/cart.ts';
import type { Tender } from '../tender/tenders.ts';

/**
 * What every receipt of this till prints around the sale, as the server prints it. A context cached by an older
 * till (before address and footer were part of it) has neither: no address and the default footer until the
 * next poll brings the new context.
 */
const common = (ctx: TillContext) => ({
  business_name: ctx.business_name,
  location_name: ctx.location_name,
  address_lines: (ctx as Partial<TillContext>).address_lines ?? [],
  register_name: ctx.register_name,
  time_zone: ctx.time_zone,
  currency: ctx.currency,
  void_reason: null,
  footer_lines: receiptFooter((ctx as Partial<TillContext>).receipt_footer_lines),
});

/** The receipt of an order the server confirmed: its numbers, not ours. */
export function receiptFromOrder(order: Order, ctx: TillContext): ReceiptData {
  return {
    ...common(ctx),
    order_number: order.number,
    status: order.status,
    completed_at: order.completed_at ?? null,
    created_at: order.created_at,
    lines: order.items,
    subtotal_cents: order.subtotal_cents,
    discount_cents: order.discount_cents,
    discount_percent_bp: order.discount_percent_bp,
    prices_include_tax: order.prices_include_tax,
    taxes: order.tax_cents > 0 ? [{ rate_bps: order.tax_rate_bps, tax_cents: order.tax_cents }] : [],
    total_cents: order.total_cents,
    tenders: order.tenders,
    change_cents: order.change_cents,
    cash_rounding_cents: order.cash_rounding_cents,
    note: order.note,
  };
}

/**
 * The receipt of a sale completed offline, from the same totals and tender settlement the server will compute
 * (so it matches the order the server makes when the queue is sent); the number comes later.
 */
export function receiptFromCart(cart: Cart, tenders: readonly Tender[], ctx: TillContext): ReceiptData {
  const totals = cartTotals(cart, ctx);
  const settled = settleTenders(totals.total_cents, tenders, {
    cashRoundingCents: ctx.cash_rounding_cents ?? undefined,
    rounding: ctx.money_rounding,
  });
  const now = new Date().toISOString();
  return {
    ...common(ctx),
    order_number: null,
    status: 'completed',
    completed_at: now,
    created_at: now,
    lines: cart.lines.map((line, i) => {
      const t = totals.lines[i];
      return {
        name: line.name,
        sku: line.sku,
        quantity: line.quantity,
        unit_price_cents: line.unit_price_cents,
        line_subtotal_cents: t?.subtotal_cents ?? 0,
        line_discount_cents: t?.discount_cents ?? 0,
        item_discount_cents: t?.item_discount_cents ?? 0,
        discount_percent_bp: line.discount_bp ?? 0,
        line_total_cents: t?.total_cents ?? 0,
      };
    }),
    subtotal_cents: totals.subtotal_cents,
    discount_cents: totals.discount_cents,
    discount_percent_bp: cart.discount_bp,
    prices_include_tax: totals.prices_include_tax,
    taxes: totals.taxes.filter((t) => t.tax_cents > 0).map((t) => ({ rate_bps: t.rate_bps, tax_cents: t.tax_cents })),
    total_cents: totals.total_cents,
    tenders: settled.tenders.map((t) => ({
      method: t.method,
      tendered_cents: t.tendered_cents,
      change_cents: t.change_cents,
      reference: t.reference ?? null,
    })),
    change_cents: settled.change_cents,
    cash_rounding_cents: settled.cash_rounding_cents,
    note: cart.note === '' ? null : cart.note,
  };
}

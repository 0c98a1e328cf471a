import type { Totals } from '../money/totals.ts';
import { pricedSaleLines, type Sale, type SaleLine, type SaleTaxRates } from '../pricing/price-sale.ts';
import type { ReceiptOrder } from '../receipts/receipt-order.ts';
import { nextOrderStatus } from './order-state.ts';
import type { Settlement } from './tenders.ts';

/** A sale line with what a receipt names it by. */
export interface NamedSaleLine extends SaleLine {
  readonly name: string;
  readonly sku: string;
}

/**
 * The order a priced sale makes, before the server has numbered it: what the till prints for a sale completed
 * offline. `totals` is `priceSale(sale, rates, …)`; the lines carry the same snapshot an order line keeps
 * (`pricedSaleLines`), and the status comes from the order state machine (`create` with tenders that cover it).
 */
export function saleOrderOf(
  sale: Sale<NamedSaleLine>,
  totals: Totals,
  rates: SaleTaxRates,
  settlement: Settlement,
  meta: { readonly currency: string; readonly note: string | null; readonly at: string },
): ReceiptOrder {
  const priced = pricedSaleLines(sale, totals, rates);
  const status = nextOrderStatus('new', settlement.settled ? 'pay' : 'park');
  const completed = status === 'completed';
  return {
    number: null,
    status,
    completed_at: completed ? meta.at : null,
    created_at: meta.at,
    currency: meta.currency,
    items: sale.lines.map((line, i) => ({ name: line.name, sku: line.sku, ...priced[i]! })),
    subtotal_cents: totals.subtotal_cents,
    discount_cents: totals.discount_cents,
    discount_percent_bp: sale.discount_bp,
    prices_include_tax: totals.prices_include_tax,
    total_cents: totals.total_cents,
    tenders: settlement.tenders.map((t) => ({
      method: t.method,
      tendered_cents: t.tendered_cents,
      change_cents: t.change_cents,
      reference: t.reference ?? null,
    })),
    change_cents: completed ? settlement.change_cents : 0,
    cash_rounding_cents: completed ? settlement.cash_rounding_cents : 0,
    void_reason: null,
    note: meta.note,
  };
}

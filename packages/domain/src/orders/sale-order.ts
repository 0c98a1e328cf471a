import type { Totals } from '../money/totals.ts';
import {
  priceSale,
  pricedSaleLines,
  type MoneySettings,
  type Sale,
  type SaleLine,
  type SaleTaxRates,
} from '../pricing/price-sale.ts';
import type { ReceiptData } from '../receipts/receipt-data.ts';
import { receiptDataFromOrder, type ReceiptNames, type ReceiptOrder } from '../receipts/receipt-order.ts';
import { createdOrderStatus } from './order-state.ts';
import { settleTenders, type Settlement, type TenderInput } from './tenders.ts';

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
  const status = createdOrderStatus(settlement.settled);
  const completed = status === 'completed';
  return {
    number: null,
    status,
    completed_at: completed ? meta.at : null,
    created_at: meta.at,
    currency: meta.currency,
    items: priced.map((amounts, i) => ({ name: sale.lines[i]?.name ?? '', sku: sale.lines[i]?.sku ?? '', ...amounts })),
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

/** How a till prices and prints a sale by itself: its register's tax rates, the tenant's money settings, currency. */
export interface SalePricing {
  readonly rates: SaleTaxRates;
  readonly settings: MoneySettings;
  readonly currency: string;
}

/**
 * The receipt of a sale the till completes by itself (offline): the sale priced (`priceSale`), its tenders settled
 * (`settleTenders`, the server's rules), made into the order it will be (`saleOrderOf`) and printed by the one
 * builder the server uses too (`receiptDataFromOrder`). The order number comes when the server has the sale.
 */
export function saleReceiptData(
  sale: Sale<NamedSaleLine> & { readonly note: string | null },
  tenders: readonly TenderInput[],
  pricing: SalePricing,
  names: ReceiptNames,
  at: string,
): ReceiptData {
  const totals = priceSale(sale, pricing.rates, pricing.settings);
  const settlement = settleTenders(totals.total_cents, tenders, {
    cashRoundingCents: pricing.settings.cash_rounding_cents ?? undefined,
    rounding: pricing.settings.money_rounding,
  });
  const order = saleOrderOf(sale, totals, pricing.rates, settlement, {
    currency: pricing.currency,
    note: sale.note,
    at,
  });
  return receiptDataFromOrder(order, names);
}

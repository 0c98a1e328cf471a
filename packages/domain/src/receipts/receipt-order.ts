import type { ReceiptData, ReceiptLineItem, ReceiptTax, ReceiptTender } from './receipt-data.ts';

/** An order line as a receipt needs it: the price-locked snapshot, with the rate it was taxed at. */
export interface ReceiptOrderLine extends ReceiptLineItem {
  /** The rate this line was taxed at; 0 for an untaxed line. */
  readonly tax_rate_bps: number;
  readonly line_tax_cents: number;
}

/**
 * An order as a receipt needs it. The server's order (its API answer, `OrderDto`) is one; so is the till's copy
 * of an order the server confirmed, and the order-shaped value of a sale the till completed offline
 * (`saleOrderOf`).
 */
export interface ReceiptOrder {
  /** Sequential per register; null while the order is open (or not yet numbered by the server). */
  readonly number: number | null;
  readonly status: 'open' | 'completed' | 'voided' | 'cancelled';
  readonly completed_at: string | null;
  readonly created_at: string;
  /** A sale taken while the till was offline: the till's clock when it was made (the other times are the server's). */
  readonly created_offline_at?: string | null | undefined;
  readonly currency: string;
  readonly items: readonly ReceiptOrderLine[];
  readonly subtotal_cents: number;
  readonly discount_cents: number;
  readonly discount_percent_bp: number;
  readonly prices_include_tax: boolean;
  readonly total_cents: number;
  readonly tenders: readonly ReceiptTender[];
  readonly change_cents: number;
  readonly cash_rounding_cents: number;
  readonly void_reason: string | null;
  readonly note: string | null;
}

/** What a receipt prints around the order: the business, the store, its address and time zone, the till, footer. */
export interface ReceiptNames {
  readonly business_name: string;
  readonly location_name: string;
  readonly address_lines: readonly string[];
  readonly register_name: string | null;
  readonly time_zone: string;
  readonly footer_lines: readonly string[];
}

/**
 * Tax per rate, summed over the order's taxed lines (untaxed lines carry rate 0), lowest rate first. A rate whose
 * lines were taxed 0 (a 100 % discount) still prints, at 0.00.
 */
export function receiptTaxesByRate(items: readonly Pick<ReceiptOrderLine, 'tax_rate_bps' | 'line_tax_cents'>[]) {
  const byRate = new Map<number, number>();
  for (const item of items) {
    if (item.tax_rate_bps > 0)
      byRate.set(item.tax_rate_bps, (byRate.get(item.tax_rate_bps) ?? 0) + item.line_tax_cents);
  }
  return [...byRate].sort(([a], [b]) => a - b).map(([rate_bps, tax_cents]): ReceiptTax => ({ rate_bps, tax_cents }));
}

/**
 * The receipt data of an order: the one builder the server (GET /v1/orders/{id}/receipt) and the till (an order
 * the server confirmed, a sale completed offline) print from, so their receipts are the same line for line.
 */
export function receiptDataFromOrder(order: ReceiptOrder, names: ReceiptNames): ReceiptData {
  return {
    business_name: names.business_name,
    location_name: names.location_name,
    address_lines: names.address_lines,
    register_name: names.register_name,
    order_number: order.number,
    status: order.status,
    completed_at: order.completed_at,
    created_at: order.created_at,
    created_offline_at: order.created_offline_at ?? null,
    time_zone: names.time_zone,
    currency: order.currency,
    lines: order.items.map((item) => ({
      name: item.name,
      sku: item.sku,
      quantity: item.quantity,
      unit_price_cents: item.unit_price_cents,
      line_subtotal_cents: item.line_subtotal_cents,
      line_discount_cents: item.line_discount_cents,
      item_discount_cents: item.item_discount_cents,
      discount_percent_bp: item.discount_percent_bp,
      line_total_cents: item.line_total_cents,
    })),
    subtotal_cents: order.subtotal_cents,
    discount_cents: order.discount_cents,
    discount_percent_bp: order.discount_percent_bp,
    prices_include_tax: order.prices_include_tax,
    taxes: receiptTaxesByRate(order.items),
    total_cents: order.total_cents,
    tenders: order.tenders.map((tender) => ({
      method: tender.method,
      tendered_cents: tender.tendered_cents,
      change_cents: tender.change_cents,
      reference: tender.reference,
      card_brand: tender.card_brand ?? null,
      card_last4: tender.card_last4 ?? null,
    })),
    change_cents: order.change_cents,
    cash_rounding_cents: order.cash_rounding_cents,
    void_reason: order.void_reason,
    note: order.note,
    footer_lines: names.footer_lines,
  };
}

import type { TenderMethod } from '../orders/tenders.ts';

/** One sold line as the receipt shows it (the order line's price-locked snapshot). */
export interface ReceiptLineItem {
  readonly name: string;
  readonly sku: string;
  readonly quantity: number;
  readonly unit_price_cents: number;
  /** quantity × unit price: the amount printed beside the line. */
  readonly line_subtotal_cents: number;
  /** All the discount on the line: its own and its share of the order discount. */
  readonly line_discount_cents: number;
  /** The line's own discount (a line discount at the till), printed under the line; 0 or absent when none. */
  readonly item_discount_cents?: number | undefined;
  /** The line's own discount in basis points, for its label. */
  readonly discount_percent_bp?: number | undefined;
  /** What the line costs after discount and tax. */
  readonly line_total_cents: number;
}

/** Tax of one rate, summed over the lines taxed at it. */
export interface ReceiptTax {
  readonly rate_bps: number;
  readonly tax_cents: number;
}

export interface ReceiptTender {
  readonly method: TenderMethod;
  /** What the customer handed over (cash) or what the terminal charged (card). */
  readonly tendered_cents: number;
  readonly change_cents: number;
  /** A card terminal's reference; null when none was recorded. */
  readonly reference: string | null;
  /** A `card` tender's brand and last four digits (from the processor's token), when known. */
  readonly card_brand?: string | null | undefined;
  readonly card_last4?: string | null | undefined;
}

/** Everything a receipt shows. Pure data: the server builds it from an order, the till from its cart. */
export interface ReceiptData {
  readonly business_name: string;
  readonly location_name: string;
  readonly address_lines: readonly string[];
  readonly register_name: string | null;
  /** Sequential per register; null while the order is open. */
  readonly order_number: number | null;
  readonly status: 'open' | 'completed' | 'voided' | 'cancelled';
  /** When the sale completed (ISO); an open order shows its creation time instead. */
  readonly completed_at: string | null;
  readonly created_at: string;
  /**
   * A sale taken while the till was offline: the till's clock when it was made. The receipt then prints that time
   * as the sale's, and the server's time on a line of its own ("Synced").
   */
  readonly created_offline_at?: string | null | undefined;
  /** The store's IANA time zone, in which the date prints. */
  readonly time_zone: string;
  readonly currency: string;
  readonly lines: readonly ReceiptLineItem[];
  readonly subtotal_cents: number;
  /** Every discount: the lines' own (printed under each line) and the order discount (printed once). */
  readonly discount_cents: number;
  /** The order discount in basis points (1000 = 10 %). */
  readonly discount_percent_bp: number;
  /** True where shelf prices include tax: the tax lines are then "incl." and not added to the total. */
  readonly prices_include_tax: boolean;
  /** Tax per rate of the taxed lines (`receiptTaxesByRate`); empty for an all-untaxed sale, which prints "Tax 0.00". */
  readonly taxes: readonly ReceiptTax[];
  readonly total_cents: number;
  readonly tenders: readonly ReceiptTender[];
  /** Cash handed back in all. */
  readonly change_cents: number;
  /** The cash-rounding adjustment (e.g. −1 when 5.21 is paid as 5.20 in cash); 0 prints nothing. */
  readonly cash_rounding_cents: number;
  readonly void_reason: string | null;
  readonly note: string | null;
  readonly footer_lines: readonly string[];
}

/** Receipt widths in columns: 42 (Font A on 512-dot heads) and 48 (Font A on 576-dot heads) of 80 mm printers. */
export const RECEIPT_WIDTHS = [42, 48] as const;
export type ReceiptWidth = (typeof RECEIPT_WIDTHS)[number];

/**
 * A width-independent description of a receipt, row by row. The text, ESC/POS and HTML renderers all draw these
 * rows, so the three formats cannot drift apart.
 */
export type ReceiptRow =
  /** Header, banner and footer text, centred; `strong` prints bold. */
  | { readonly kind: 'center'; readonly text: string; readonly strong?: boolean }
  /**
   * A label with an amount (or date) flush right; the label's continuation lines are indented by `indent`, and the
   * whole row starts `offset` columns in (a line's own discount, under the line).
   */
  | {
      readonly kind: 'pair';
      readonly left: string;
      readonly right: string;
      readonly strong?: boolean;
      readonly indent?: number;
      readonly offset?: number;
    }
  /** Plain text indented by `indent` columns, its continuation lines by `hang` more (unit prices, the note). */
  | { readonly kind: 'text'; readonly text: string; readonly indent?: number; readonly hang?: number }
  | { readonly kind: 'rule' }
  | { readonly kind: 'blank' };

import { computeTotals, type LineTax, type Totals } from '../money/totals.ts';
import type { RoundingMode } from '../money/rounding.ts';
import { isTaxable, type TaxCode } from '../tax-precedence.ts';

/** The one tax code a sale's taxable lines carry today: one sales tax at the register's resolved rate. */
export const SALES_TAX_CODE = 'tax';

/** A line of a sale as pricing sees it: how many, at what catalog price, under which tax code, its own discount. */
export interface SaleLine {
  /** A positive whole number. */
  readonly quantity: number;
  /** The catalog's price of one unit in minor units (tax included when the tenant's prices include tax). */
  readonly unit_price_cents: number;
  readonly tax_code: TaxCode;
  /** The line's own discount in basis points, 0–10,000; absent means none. */
  readonly discount_bp?: number | undefined;
}

/** A sale to price: its lines and the order discount (taken after the lines' own). */
export interface Sale<L extends SaleLine = SaleLine> {
  readonly lines: readonly L[];
  /** The order discount in basis points, 0–10,000. */
  readonly discount_bp: number;
}

/**
 * The tax rates a sale is priced with, already resolved by the caller (the precedence of `pickTaxRate`: explicit
 * > register > location > tenant > default). Today one sales tax applies to every taxable line.
 */
export interface SaleTaxRates {
  readonly sales_tax_bps: number;
}

/** The tenant's money settings that pricing needs (GET /v1/pos/context carries the same fields). */
export interface MoneySettings {
  readonly prices_include_tax: boolean;
  readonly money_rounding: RoundingMode;
  /** The smallest coin for cash (5 → 0.05); null when cash is not rounded. */
  readonly cash_rounding_cents: number | null;
}

/** The taxes on a line with this tax code: the sales tax on a taxable line, none on an untaxed one (or at 0 %). */
export function saleLineTaxes(taxCode: TaxCode, rates: SaleTaxRates): LineTax[] {
  return isTaxable(taxCode) && rates.sales_tax_bps > 0 ? [{ code: SALES_TAX_CODE, rate_bps: rates.sales_tax_bps }] : [];
}

/** The rate an order line records: the sales tax rate on a taxable line, 0 on an untaxed one. */
export function saleLineTaxRateBps(taxCode: TaxCode, rates: SaleTaxRates): number {
  return isTaxable(taxCode) ? rates.sales_tax_bps : 0;
}

/**
 * Prices a sale: the one mapping from a sale (lines, line and order discounts), its resolved tax rates and the
 * tenant's money settings to the totals engine (`computeTotals`). The server (orders, compute), the till (its
 * cart, its offline receipts) and the demo all price through here, so they agree to the minor unit.
 * `options.trace` adds the explain trace (how each amount was rounded).
 */
export function priceSale(
  sale: Sale,
  rates: SaleTaxRates,
  settings: MoneySettings,
  options: { trace?: boolean } = {},
): Totals {
  return computeTotals(
    {
      lines: sale.lines.map((line) => ({
        quantity: line.quantity,
        unit_price_cents: line.unit_price_cents,
        taxes: saleLineTaxes(line.tax_code, rates),
        discount_bp: line.discount_bp ?? 0,
      })),
      discount_bp: sale.discount_bp,
      prices_include_tax: settings.prices_include_tax,
      rounding: settings.money_rounding,
      ...(settings.cash_rounding_cents === null ? {} : { cash_rounding_cents: settings.cash_rounding_cents }),
    },
    { trace: options.trace === true },
  );
}

/** What a priced line adds to the sale's line: the amounts an order line snapshots (the price lock). */
export interface PricedLineAmounts {
  readonly quantity: number;
  readonly unit_price_cents: number;
  readonly tax_code: TaxCode;
  /** quantity × unit price. */
  readonly line_subtotal_cents: number;
  /** All the line's discount: its own plus its share of the order's. */
  readonly line_discount_cents: number;
  /** The line's own discount in basis points (0 for none). */
  readonly discount_percent_bp: number;
  /** The line's own discount in minor units. */
  readonly item_discount_cents: number;
  readonly line_tax_cents: number;
  readonly line_total_cents: number;
  /** The rate this line was taxed at (0 for an untaxed line). */
  readonly tax_rate_bps: number;
}

/**
 * Each line's priced amounts, in the sale's order, as an order line keeps them (and compute answers them and a
 * receipt prints them). `totals` must be `priceSale` of the same sale and rates.
 */
export function pricedSaleLines(sale: Sale, totals: Totals, rates: SaleTaxRates): PricedLineAmounts[] {
  return sale.lines.map((line, i) => {
    const t = totals.lines[i];
    return {
      quantity: line.quantity,
      unit_price_cents: line.unit_price_cents,
      tax_code: line.tax_code,
      line_subtotal_cents: t?.subtotal_cents ?? 0,
      line_discount_cents: t?.discount_cents ?? 0,
      discount_percent_bp: line.discount_bp ?? 0,
      item_discount_cents: t?.item_discount_cents ?? 0,
      line_tax_cents: t?.tax_cents ?? 0,
      line_total_cents: t?.total_cents ?? 0,
      tax_rate_bps: saleLineTaxRateBps(line.tax_code, rates),
    };
  });
}

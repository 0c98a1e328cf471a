import { discountNeedsApproval, largestDiscountBp, priceSale, type SaleTaxRates, type Totals } from '@novapos/domain';
import type { TillContext, TillItem } from '../../api/api.ts';

/** A line of the cart: what was picked, at the price the catalog cache had. */
export interface CartLine {
  readonly variant_id: string;
  readonly sku: string;
  readonly name: string;
  readonly unit_price_cents: number;
  readonly tax_code: TillItem['tax_code'];
  readonly quantity: number;
  /** The line's own discount in basis points; absent (carts parked before line discounts) means none. */
  readonly discount_bp?: number | undefined;
}

/** A manager's approval of a discount above the cashier's limit (signed by the server, for this cart only). */
export interface Approval {
  readonly token: string;
  readonly manager_name: string;
  readonly max_discount_bp: number;
}

/** A tender the server already holds on this sale's open order (kept there when a later card was declined). */
export interface TakenTender {
  readonly method: 'cash' | 'external_card' | 'card';
  readonly applied_cents: number;
  readonly reference?: string | null | undefined;
  readonly card_brand?: string | null | undefined;
  readonly card_last4?: string | null | undefined;
}

/**
 * The server's open order under this sale's id, as last read: its total (the server's), what its tenders paid, and
 * those tenders. What is left is paid on that order (POST /v1/orders/{id}/tenders), never as a new sale.
 */
export interface TakenPayments {
  readonly total_cents: number;
  readonly paid_cents: number;
  readonly tenders: readonly TakenTender[];
}

/**
 * A manager's approval to sell this sale beyond stock (signed by the server for the sale id `order_id` only): the
 * shop's policy refused the sale for want of stock, and a manager typed their PIN at the till.
 */
export interface StockApproval {
  readonly token: string;
  readonly manager_name: string;
  readonly order_id: string;
}

export interface Cart {
  /** The sale's client UUID: the order id on the server and the Idempotency-Key of its first send. */
  readonly id: string;
  readonly lines: readonly CartLine[];
  readonly discount_bp: number;
  readonly approval?: Approval | undefined;
  readonly stock_approval?: StockApproval | undefined;
  readonly note: string;
  /**
   * `unanswered`: a send of this sale left without an answer (the network failed, the page was reloaded), so the
   * server may hold an order under this id: the next payment asks it first, and any change gives the cart a new id.
   */
  readonly sent?: 'unanswered' | undefined;
  /**
   * How many answers the server gave this sale id without completing it (a refusal, a declined card): the next
   * request under this id carries a new Idempotency-Key (`<id>.<attempt>`), since the server keeps the answer to a
   * key for 24 hours and a changed request under an old key is refused (`idempotency_key_reused`).
   */
  readonly attempt?: number | undefined;
  /** Tenders the server already took on this sale's open order (a declined card in a split). */
  readonly taken?: TakenPayments | undefined;
}

/** The cart's approval to sell beyond stock, when it is for the cart's own sale id (a new sale id voids it). */
export function stockApprovalOf(cart: Cart): StockApproval | undefined {
  return cart.stock_approval?.order_id === cart.id ? cart.stock_approval : undefined;
}

export function newCart(): Cart {
  return { id: crypto.randomUUID(), lines: [], discount_bp: 0, note: '' };
}

/** Adds one of an item: a second scan of the same item raises the quantity of its line. */
export function addItem(cart: Cart, item: TillItem): Cart {
  const at = cart.lines.findIndex((l) => l.variant_id === item.variant_id);
  if (at >= 0) return setQuantity(cart, at, (cart.lines[at]?.quantity ?? 0) + 1);
  const line: CartLine = {
    variant_id: item.variant_id,
    sku: item.sku,
    name: item.name,
    unit_price_cents: item.unit_price_cents,
    tax_code: item.tax_code,
    quantity: 1,
  };
  return { ...cart, lines: [...cart.lines, line] };
}

/**
 * The cart at the catalog's current prices: the server prices every sale from the catalog as it is when the sale
 * arrives, so a line keeps the name, price and tax code the delta feed last brought, or the till would show a total
 * the server will not charge. A line whose item left the catalog (archived) stays, for the server to refuse by name.
 * The same cart object when nothing changed (no re-render).
 */
export function repriceCart(cart: Cart, current: (variantId: string) => TillItem | undefined): Cart {
  const lines = cart.lines.map((line) => {
    const item = current(line.variant_id);
    if (
      item === undefined ||
      (item.unit_price_cents === line.unit_price_cents && item.tax_code === line.tax_code && item.name === line.name)
    ) {
      return line;
    }
    return { ...line, name: item.name, unit_price_cents: item.unit_price_cents, tax_code: item.tax_code };
  });
  return lines.some((line, i) => line !== cart.lines[i]) ? { ...cart, lines } : cart;
}

/** Sets a line's own discount (basis points, 0–10,000); 0 takes it off. */
export function setLineDiscount(cart: Cart, index: number, bp: number): Cart {
  return { ...cart, lines: cart.lines.map((l, i) => (i === index ? { ...l, discount_bp: bp } : l)) };
}

/**
 * The largest discount any line of the cart gets, its own and the order's stacked, when the order discount were
 * `orderBp` and line `index` had `lineBp` (both default to the cart's): what the cashier's limit is checked
 * against, by the till before it asks for a manager and by the server (`requireDiscountAllowed`).
 */
export function largestDiscount(
  cart: Pick<Cart, 'lines' | 'discount_bp'>,
  change: { orderBp?: number; line?: { index: number; bp: number } } = {},
): number {
  const lineBps = cart.lines.map((l, i) => (change.line?.index === i ? change.line.bp : (l.discount_bp ?? 0)));
  return largestDiscountBp(lineBps, change.orderBp ?? cart.discount_bp);
}

/** Sets a line's quantity; 0 removes the line. */
export function setQuantity(cart: Cart, index: number, quantity: number): Cart {
  if (quantity <= 0) return { ...cart, lines: cart.lines.filter((_, i) => i !== index) };
  const q = Math.min(Math.floor(quantity), 100_000);
  return { ...cart, lines: cart.lines.map((l, i) => (i === index ? { ...l, quantity: q } : l)) };
}

/** The register's resolved tax rates, as the server prices this till's sales with them. */
export function tillTaxRates(ctx: TillContext): SaleTaxRates {
  return { sales_tax_bps: ctx.tax_rate_bps };
}

/**
 * The cart's totals, by the domain's `priceSale` — the one pricing path the server prices every sale with — from
 * the inputs its pricing passes (quantities, catalog prices, the register's tax rate on taxable lines, the lines'
 * own discounts, the order discount and the tenant's money settings). The till shows the total the server will
 * charge, to the cent, before it answers.
 */
export function cartTotals(cart: Pick<Cart, 'lines' | 'discount_bp'>, ctx: TillContext): Totals {
  return priceSale(cart, tillTaxRates(ctx), ctx);
}

/**
 * Whether the cart's discounts need a manager: the domain's `discountNeedsApproval` (the rule the server enforces),
 * with the cashier's limit from the context and the approval the cart already carries.
 */
export function needsApproval(cart: Cart, ctx: TillContext, roles: readonly string[]): boolean {
  return discountNeedsApproval({
    line_discount_bps: cart.lines.map((l) => l.discount_bp),
    order_discount_bp: cart.discount_bp,
    limit_bp: ctx.cashier_discount_limit_bp,
    roles,
    approved_bp: cart.approval?.max_discount_bp,
  });
}

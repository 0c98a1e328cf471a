import type { Settlement } from '@novapos/domain';
import { pricedLines, type PricedCart } from './orders.pricing.ts';
import type { NewOrder, PricedLineRow } from './orders.repo.ts';
import { transition } from './orders.state.ts';

/** What a new order is made of besides its priced cart. */
export interface NewOrderFacts {
  readonly id: string;
  readonly register: { readonly id: string; readonly location_id: string };
  /** The order discount in basis points, as requested. */
  readonly discountBp: number;
  readonly note: string | null;
  /** The tenders' settlement; undefined when the order is parked without tenders. */
  readonly settlement: Settlement | undefined;
  /** A card was declined: the order stays open, paid in part by the tenders kept. */
  readonly declined: boolean;
  readonly createdBy: string | null;
}

/**
 * The rows a new order is saved as: the order (its status from the state machine: `pay` when its tenders cover
 * it, else `park`) and its price-locked lines. Pure: what the database stores and answers back, so a test can
 * follow the server's receipt path without a database (receipts.parity.test.ts).
 */
export function newOrderRecord(cart: PricedCart, facts: NewOrderFacts): { order: NewOrder; lines: PricedLineRow[] } {
  const { settlement } = facts;
  const t = cart.totals;
  const completes = settlement !== undefined && !facts.declined;
  const status = transition('new', completes ? 'pay' : 'park');
  const order: NewOrder = {
    id: facts.id,
    location_id: facts.register.location_id,
    register_id: facts.register.id,
    status,
    currency: cart.settings.currency,
    prices_include_tax: t.prices_include_tax,
    rounding: cart.settings.money_rounding,
    discount_bp: facts.discountBp,
    tax_rate_bps: cart.taxRate.rate_bps,
    tax_rate_source: cart.taxRate.source,
    subtotal_cents: t.subtotal_cents,
    discount_cents: t.discount_cents,
    tax_cents: t.tax_cents,
    total_cents: t.total_cents,
    // A declined card leaves the order open, paid in part by the tenders kept.
    paid_cents: settlement?.paid_cents ?? 0,
    change_cents: completes ? settlement.change_cents : 0,
    cash_rounding_cents: completes ? settlement.cash_rounding_cents : 0,
    note: facts.note,
    created_by: facts.createdBy,
  };
  return { order, lines: pricedLines(cart) };
}

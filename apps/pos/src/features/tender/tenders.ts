import { currencyExponent, parseTypedAmount, settleTenders, type Settlement, type TenderInput } from '@novapos/domain';
import type { OrderBody, PriceLock, TillContext } from '../../api/api.ts';
import { cartTotals, stockApprovalOf, type Cart } from '../sale/cart.ts';

/** A tender as the till collects it; `card` carries the processor token the card reader gave. */
export type Tender = TenderInput & { readonly card_token?: string | undefined };

/**
 * The tenders applied to what is due, by the domain's settlement (the server's own rules); `alreadyPaid` is what
 * tenders the server already took on this sale's open order paid.
 */
export function settle(totalCents: number, tenders: readonly Tender[], ctx: TillContext, alreadyPaid = 0): Settlement {
  return settleTenders(totalCents, tenders, {
    alreadyPaid,
    cashRoundingCents: ctx.cash_rounding_cents ?? undefined,
    rounding: ctx.money_rounding,
  });
}

/**
 * Round notes to offer above what is due, in minor units, by the currency's exponent: 5, 10, 20, 50, 100 of a
 * two-decimal currency (USD, EUR); ¥500 (the largest coin), ¥1,000, ¥2,000, ¥5,000, ¥10,000 where there are no
 * decimals (JPY, KRW); 0.5, 1, 5, 10, 20 of a three-decimal currency (the Bahraini and Kuwaiti dinar notes).
 */
const NOTES_BY_EXPONENT: Readonly<Record<number, readonly number[]>> = {
  0: [500, 1000, 2000, 5000, 10_000],
  2: [500, 1000, 2000, 5000, 10_000],
  3: [500, 1000, 5000, 10_000, 20_000],
};

/**
 * Quick cash amounts for what is due: the exact amount, then the next round notes above it (distinct, at most
 * four), e.g. 12.34 USD → 12.34, 15, 20, 50; ¥1,234 → ¥1,234, ¥1,500, ¥2,000, ¥5,000.
 */
export function quickCashAmounts(dueCents: number, currency: string): number[] {
  const exponent = currencyExponent(currency);
  const notes = NOTES_BY_EXPONENT[exponent] ?? [5, 10, 20, 50, 100].map((n) => n * 10 ** exponent);
  const out = [dueCents];
  for (const step of notes) {
    const next = Math.ceil(dueCents / step) * step;
    if (next > dueCents && !out.includes(next)) out.push(next);
    if (out.length === 4) break;
  }
  return out;
}

/**
 * What the cashier saw: each line's unit price, the tax rate and the total, by the domain's pricing (`cartTotals`).
 * Sent with every sale; for a sale queued offline it is the evidence a replay is checked against (docs/pos.md
 * "Replay").
 */
export function priceLock(cart: Cart, ctx: TillContext): PriceLock {
  return {
    lines: cart.lines.map((l) => ({ variant_id: l.variant_id, unit_price_cents: l.unit_price_cents })),
    tax_rate_bps: ctx.tax_rate_bps,
    total_cents: cartTotals(cart, ctx).total_cents,
  };
}

/**
 * The order the till sends (and queues): items by variant id, the client id, the discounts and their approval,
 * a manager's approval to sell beyond stock, and the price lock.
 */
export function orderBody(cart: Cart, tenders: readonly Tender[], ctx: TillContext): OrderBody {
  const stockApproval = stockApprovalOf(cart);
  return {
    id: cart.id,
    register_id: ctx.register_id,
    location_id: ctx.location_id,
    items: cart.lines.map((l) => ({
      variant_id: l.variant_id,
      quantity: l.quantity,
      ...((l.discount_bp ?? 0) > 0 ? { discount_percent_bp: l.discount_bp } : {}),
    })),
    ...(cart.discount_bp > 0 ? { discount_percent_bp: cart.discount_bp } : {}),
    ...(cart.approval === undefined ? {} : { discount_approval: cart.approval.token }),
    ...(stockApproval === undefined ? {} : { stock_approval: stockApproval.token }),
    ...(cart.note.trim() === '' ? {} : { note: cart.note.trim() }),
    tenders: tenders.map((t) =>
      t.method === 'card'
        ? { method: 'card' as const, amount_cents: t.amount_cents, card_token: t.card_token ?? '' }
        : {
            method: t.method,
            amount_cents: t.amount_cents,
            ...(t.reference === undefined ? {} : { reference: t.reference }),
          },
    ),
    price_lock: priceLock(cart, ctx),
  };
}

/**
 * Parses what a cashier types as an amount ("12", "12.5", "12,50": a comma is a decimal separator too) into minor
 * units of the shop's currency, by its exponent ("500" JPY → 500, "1.5" BHD → 1500); undefined when it is not a
 * positive amount of that currency (more decimals than it has, letters, more than 9 whole digits).
 */
export function parseAmount(text: string, currency: string): number | undefined {
  const minor = parseTypedAmount(text, currency);
  return minor !== undefined && minor > 0 ? minor : undefined;
}

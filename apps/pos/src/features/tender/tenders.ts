import { settleTenders, type Settlement, type TenderInput } from '@novapos/domain';
import type { OrderBody, TillContext } from '../../api/api.ts';
import type { Cart } from '../sale/cart.ts';

/** A tender as the till collects it; `card` carries the processor token the card reader gave. */
export type Tender = TenderInput & { readonly card_token?: string | undefined };

/** The tenders applied to what is due, by the domain's settlement (the server's own rules). */
export function settle(totalCents: number, tenders: readonly Tender[], ctx: TillContext): Settlement {
  return settleTenders(totalCents, tenders, {
    cashRoundingCents: ctx.cash_rounding_cents ?? undefined,
    rounding: ctx.money_rounding,
  });
}

/**
 * Quick cash amounts for what is due: the exact amount, then the next round notes above it (distinct, at most
 * four), e.g. 12.34 → 12.34, 15, 20, 50.
 */
export function quickCashAmounts(dueCents: number): number[] {
  const out = [dueCents];
  for (const step of [500, 1000, 2000, 5000, 10_000]) {
    const next = Math.ceil(dueCents / step) * step;
    if (next > dueCents && !out.includes(next)) out.push(next);
    if (out.length === 4) break;
  }
  return out;
}

/** The order the till sends (and queues): items by variant id, the client id, the discounts and their approval. */
export function orderBody(cart: Cart, tenders: readonly Tender[], ctx: TillContext): OrderBody {
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
  };
}

/** Parses what a cashier types as an amount ("12", "12.5", "12.50") into minor units; undefined when it is not one. */
export function parseAmount(text: string): number | undefined {
  const m = /^\s*(\d{1,9})(?:[.,](\d{0,2}))?\s*$/.exec(text);
  if (m === null) return undefined;
  const whole = Number(m[1]);
  const frac = Number((m[2] ?? '').padEnd(2, '0'));
  const cents = whole * 100 + frac;
  return cents > 0 ? cents : undefined;
}

import { roundToIncrement, type RoundingMode } from '../money/rounding.ts';

/**
 * How a customer pays: cash at the till, a card on a stand-alone terminal recorded by its reference, or a card
 * charged by the server through a payment intent (`card`). Both card kinds settle alike.
 */
export type TenderMethod = 'cash' | 'external_card' | 'card';

export interface TenderInput {
  readonly method: TenderMethod;
  /** For cash, what the customer handed over; for a card, what the terminal charged. */
  readonly amount_cents: number;
  readonly reference?: string | undefined;
}

/** A tender as it is recorded: the part of it that pays the order, and for cash the change given back. */
export interface SettledTender {
  readonly method: TenderMethod;
  readonly tendered_cents: number;
  readonly applied_cents: number;
  readonly change_cents: number;
  readonly reference?: string | undefined;
}

export interface Settlement {
  readonly tenders: readonly SettledTender[];
  /** What the tenders pay towards the order (never more than is due). */
  readonly paid_cents: number;
  /** Cash handed back: only ever from cash. */
  readonly change_cents: number;
  /** Still to pay; 0 when the order is settled. */
  readonly remaining_cents: number;
  readonly settled: boolean;
  /** The cash-rounding adjustment taken when cash paid the rest (e.g. −2); 0 otherwise. */
  readonly cash_rounding_cents: number;
}

/** Tenders that cannot be accepted; the server answers 422 with `code`. */
export class TenderError extends Error {
  readonly code: 'invalid_tender';
  constructor(message: string) {
    super(message);
    this.name = 'TenderError';
    this.code = 'invalid_tender';
  }
}

/**
 * Applies tenders to what is due, in the order given. Cards (and any non-cash tender) pay exactly what they
 * charged and may not exceed what is still due: a card is never over-tendered, since change only ever comes from
 * cash. Cash pays the rest; when cash rounding is set and cash pays the final part, that part is rounded to the
 * smallest coin first (the total itself is not). Cash beyond what is due becomes change.
 *
 * `alreadyPaid` is what earlier tenders paid (tenders added to a parked order later).
 */
export function settleTenders(
  dueCents: number,
  tenders: readonly TenderInput[],
  options: { alreadyPaid?: number; cashRoundingCents?: number | undefined; rounding?: RoundingMode } = {},
): Settlement {
  let remaining = dueCents - (options.alreadyPaid ?? 0);
  let cashRounding = 0;
  const settled: SettledTender[] = [];
  for (const [i, tender] of tenders.entries()) {
    if (!Number.isSafeInteger(tender.amount_cents) || tender.amount_cents <= 0) {
      throw new TenderError(`tenders[${i}].amount_cents must be a positive whole number`);
    }
    if (remaining <= 0) throw new TenderError(`tenders[${i}]: nothing is left to pay`);
    if (tender.method !== 'cash') {
      if (tender.amount_cents > remaining) {
        throw new TenderError(
          `tenders[${i}] charges ${tender.amount_cents} on a card but only ${Math.max(remaining, 0)} is due; change only comes from cash`,
        );
      }
      remaining -= tender.amount_cents;
      settled.push({
        ...tender,
        tendered_cents: tender.amount_cents,
        applied_cents: tender.amount_cents,
        change_cents: 0,
      });
      continue;
    }
    let dueNow = remaining;
    if (options.cashRoundingCents !== undefined && remaining > 0) {
      // Cash pays the rest when it covers the rest rounded to the smallest coin: 0.51 due with 50-cent rounding is
      // 0.50 in cash, so 0.50 pays it (rounded down); 0.53 due with 5-cent rounding is 0.55 in cash, so 0.53 leaves
      // 0.02 (rounded up). Cash short of both is a part payment, not rounded.
      const rounded = roundToIncrement(remaining, options.cashRoundingCents, options.rounding ?? 'half_up');
      if (tender.amount_cents >= Math.min(remaining, rounded)) {
        dueNow = rounded;
        cashRounding = dueNow - remaining;
      }
    }
    const applied = Math.min(tender.amount_cents, Math.max(dueNow, 0));
    const change = tender.amount_cents - applied;
    remaining = dueNow - applied;
    settled.push({ ...tender, tendered_cents: tender.amount_cents, applied_cents: applied, change_cents: change });
  }
  const paid = settled.reduce((sum, t) => sum + t.applied_cents, 0);
  return {
    tenders: settled,
    paid_cents: paid,
    change_cents: settled.reduce((sum, t) => sum + t.change_cents, 0),
    remaining_cents: Math.max(remaining, 0),
    settled: remaining <= 0,
    cash_rounding_cents: cashRounding,
  };
}

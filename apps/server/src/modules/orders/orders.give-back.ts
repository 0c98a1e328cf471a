// Giving back what an order's tenders took when it is cancelled or voided: one place for both use cases.
import type { RequestContext } from '../../platform/context.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { getIntent, refundIntent, voidIntent, type PaymentsDeps } from '../payments/index.ts';
import { cardPayments } from './orders.cards.ts';
import type { OrdersDeps } from './orders.deps.ts';
import * as repo from './orders.repo.ts';

/** What goes back, by how: the drawer's cash, the terminal's refunds, the processor's voids and refunds. */
export interface GivenBack {
  readonly cash_returned_cents: number;
  readonly terminal_refund_cents: number;
  readonly card_cents: number;
}

/**
 * In the order's own transaction: each cash tender recorded as handed back (`cash_returned`), each stand-alone
 * terminal's card as refunded there (`terminal_refund`). Cards through the processor go back after the commit
 * (`giveCardsBack`). Returns the amounts, for the audit event.
 */
export async function giveBackInHand(tx: Tx, tenders: readonly repo.OrderTenderRow[]): Promise<GivenBack> {
  for (const t of tenders) {
    if (t.method === 'cash') await repo.markTenderReversed(tx, t.id, 'cash_returned');
    if (t.method === 'external_card') await repo.markTenderReversed(tx, t.id, 'terminal_refund');
  }
  const given = (method: string) =>
    tenders.filter((t) => t.method === method).reduce((sum, t) => sum + t.applied_cents, 0);
  return {
    cash_returned_cents: given('cash'),
    terminal_refund_cents: given('external_card'),
    card_cents: given('card'),
  };
}

/** A card tender of a cancelled or voided order whose money has not gone back yet. */
export interface CardToGiveBack {
  readonly tenderId: string;
  readonly intentId: string;
}

/** The card tenders (through the processor) not yet given back. */
export function cardsToGiveBack(tenders: readonly repo.OrderTenderRow[]): CardToGiveBack[] {
  return tenders.flatMap((t): CardToGiveBack[] =>
    t.method === 'card' && t.payment_intent_id !== null && (t.reversal ?? null) === null
      ? [{ tenderId: t.id, intentId: t.payment_intent_id }]
      : [],
  );
}

/**
 * Gives each card back through the processor, after the order's own transaction committed (a processor call never
 * holds the order's lock): an intent only authorised is voided, a captured one refunded, and the tender records
 * which. A failure leaves that tender's `reversal` null and is thrown after the others were tried: the caller's
 * use case, sent again, retries it (the intents' idempotency keys make a retry safe).
 */
export async function giveCardsBack(
  deps: OrdersDeps,
  ctx: RequestContext,
  cards: readonly CardToGiveBack[],
  why: string,
): Promise<void> {
  if (cards.length === 0) return;
  const payments = cardPayments(deps);
  const failures: Error[] = [];
  for (const card of cards) {
    try {
      const reversal = await giveCardBack(payments, ctx, card.intentId, why);
      await tenantTx(deps.db, ctx, (tx) => repo.markTenderReversed(tx, card.tenderId, reversal));
    } catch (err) {
      failures.push(err instanceof Error ? err : new Error(String(err)));
    }
  }
  if (failures[0] !== undefined) throw failures[0];
}

/** Voids an intent that is only authorised, refunds what a captured one kept; says which it was. */
async function giveCardBack(
  payments: PaymentsDeps,
  ctx: RequestContext,
  intentId: string,
  why: string,
): Promise<'card_voided' | 'card_refunded'> {
  const intent = await getIntent(payments, ctx, intentId);
  switch (intent.state) {
    case 'authorized':
      await voidIntent(payments, ctx, intentId, why);
      return 'card_voided';
    case 'voided':
    case 'created':
      // `created`: never authorised, nothing was taken.
      return 'card_voided';
    case 'captured':
    case 'partially_refunded':
      await refundIntent(payments, ctx, intentId, { reason: why });
      return 'card_refunded';
    case 'refunded':
      return 'card_refunded';
  }
}

import { createHash } from 'node:crypto';
import type { Settlement } from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import {
  captureIntent,
  confirmIntent,
  createIntent,
  getIntent,
  voidIntent,
  type PaymentsDeps,
} from '../payments/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findShortStock, insufficientStock } from '../inventory/index.ts';
import { orderContext } from './orders.complete.ts';
import type { TenderRowInput } from './orders.repo.ts';
import type { OrdersDeps } from './orders.deps.ts';

/** A tender as the order endpoints take it: cash, a terminal card, or a card charged here through an intent. */
export interface TenderRequest {
  readonly method: 'cash' | 'external_card' | 'card';
  readonly amount_cents: number;
  readonly reference?: string | undefined;
  readonly card_token?: string | undefined;
}

/** A card tender whose authorization succeeded: its intent and what a receipt may print of the card. */
export interface AuthorizedCard {
  readonly intentId: string;
  readonly cardBrand: string | null;
  readonly cardLast4: string | null;
}

/** The outcome of authorizing an order's card tenders, by tender index. */
export interface CardAuthorizations {
  readonly authorized: ReadonlyMap<number, AuthorizedCard>;
  /** Every intent made for these tenders, the declined one included (linked to the order when it is saved). */
  readonly intentIds: readonly string[];
  /** The first decline: its tender index and the processor's reason. Tenders after it were not tried. */
  readonly declined?: { readonly index: number; readonly reason: string } | undefined;
}

export const NO_CARDS: CardAuthorizations = { authorized: new Map(), intentIds: [] };

export function hasCards(tenders: readonly TenderRequest[]): boolean {
  return tenders.some((t) => t.method === 'card');
}

/**
 * The intent's idempotency key for one card tender. Replaying the same tender (same order, position, amount and
 * token) reaches the same intent, so it is never charged twice; another card at that position (after a decline)
 * gets a new intent. The token enters only as a hash.
 */
function tenderKey(orderId: string, position: number, amount: number, token: string): string {
  const digest = createHash('sha256').update(`${amount}:${token}`).digest('hex').slice(0, 24);
  return `order:${orderId}:tender:${position}:${digest}`;
}

/**
 * Authorizes (manual capture: nothing is taken yet) each card tender in turn, outside any order transaction: a
 * processor call never holds an order's locks. Stops at the first decline. Any other failure (processor
 * unreachable, unknown token) voids what was authorized and is thrown: nothing is saved.
 * `firstPosition` is how many tenders the order already has, so positions never repeat within an order.
 */
export async function authorizeCards(
  payments: PaymentsDeps,
  ctx: RequestContext,
  p: { orderId: string; currency: string; firstPosition: number; tenders: readonly TenderRequest[] },
): Promise<CardAuthorizations> {
  const authorized = new Map<number, AuthorizedCard>();
  const intentIds: string[] = [];
  for (const [index, tender] of p.tenders.entries()) {
    if (tender.method !== 'card') continue;
    const token = tender.card_token ?? '';
    try {
      const key = tenderKey(p.orderId, p.firstPosition + index, tender.amount_cents, token);
      const { intent } = await createIntent(
        payments,
        ctx,
        { amount_cents: tender.amount_cents, currency: p.currency, capture_method: 'manual' },
        key,
      );
      intentIds.push(intent.id);
      // `authorized`: a replay after a crash or a concurrent copy of this request already authorized it.
      let state = intent.state;
      let brand = intent.card_brand;
      let last4 = intent.card_last4;
      if (state === 'created') {
        try {
          ({ state, card_brand: brand, card_last4: last4 } = await confirmIntent(payments, ctx, intent.id, token));
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'invalid_state_transition')) throw err;
          // A concurrent copy of this request confirmed it first: take its result.
          ({ state, card_brand: brand, card_last4: last4 } = await getIntent(payments, ctx, intent.id));
        }
      }
      if (state !== 'authorized') {
        throw new AppError('invalid_state_transition', 'This card tender was already settled; send a new order id', {
          extra: { current_state: state },
        });
      }
      authorized.set(index, { intentId: intent.id, cardBrand: brand, cardLast4: last4 });
    } catch (err) {
      if (err instanceof AppError && err.code === 'payment_declined') {
        const reason = typeof err.extra?.['reason'] === 'string' ? err.extra['reason'] : 'declined';
        return { authorized, intentIds, declined: { index, reason } };
      }
      await voidCards(payments, ctx, authorized);
      throw err;
    }
  }
  return { authorized, intentIds };
}

/**
 * The compensating step when an order cannot be saved after its cards were authorized: each authorization is
 * voided (never captured, so the customer is never charged). Best effort: a void that fails leaves the intent
 * `authorized` with `last_error`, for the stale-authorization job to release.
 */
export async function voidCards(
  payments: PaymentsDeps,
  ctx: RequestContext,
  cards: ReadonlyMap<number, AuthorizedCard>,
): Promise<void> {
  for (const card of cards.values()) {
    try {
      await voidIntent(payments, ctx, card.intentId, 'order not saved');
    } catch {
      // Recorded on the intent (last_error); the order's own failure is what the caller answers with.
    }
  }
}

/**
 * Captures the authorizations of a saved order, after its transaction committed. A capture that fails (processor
 * unreachable after the gateway's retries) leaves the intent `authorized` with `last_error`; the order stands.
 */
export async function captureCards(
  payments: PaymentsDeps,
  ctx: RequestContext,
  cards: ReadonlyMap<number, AuthorizedCard>,
): Promise<void> {
  for (const card of cards.values()) {
    try {
      await captureIntent(payments, ctx, card.intentId, undefined);
    } catch {
      // Kept on the intent (last_error): the order is saved, and a retry captures with the same key.
    }
  }
}

/** 402 payment_declined for an order kept open (`orderId`) or not saved at all. */
export function declinedError(reason: string, orderId: string | undefined): AppError {
  return new AppError('payment_declined', `The card was declined (${reason})`, {
    extra: orderId === undefined ? { reason } : { reason, order_id: orderId },
  });
}

/** The tenders an order keeps: all of them, or after a decline the non-card ones and the authorized cards. */
export function keptTenders(
  tenders: readonly TenderRequest[],
  cards: CardAuthorizations,
): { index: number; tender: TenderRequest }[] {
  return tenders
    .map((tender, index) => ({ index, tender }))
    .filter(({ tender, index }) => tender.method !== 'card' || cards.authorized.has(index));
}

/** The settled tenders as rows, a card with its intent, brand and last four (never its token). */
export function tenderRows(
  settlement: Settlement,
  kept: readonly { index: number }[],
  cards: CardAuthorizations,
): TenderRowInput[] {
  return settlement.tenders.map((t, i) => {
    const card = cards.authorized.get(kept[i]?.index ?? -1);
    return {
      method: t.method,
      tendered_cents: t.tendered_cents,
      applied_cents: t.applied_cents,
      change_cents: t.change_cents,
      reference: t.method === 'card' ? null : (t.reference ?? null),
      payment_intent_id: card?.intentId ?? null,
      card_brand: card?.cardBrand ?? null,
      card_last4: card?.cardLast4 ?? null,
    };
  });
}

/** The payments side of card tenders, or 503 payments_disabled when the server has no gateway. */
export function cardPayments(deps: OrdersDeps): PaymentsDeps {
  if (deps.payments?.gateway === undefined) {
    throw new AppError('payments_disabled', 'Card payments are not configured on this server (GATEWAY_URL)');
  }
  return deps.payments;
}

/** Audits the tenders kept on an order that stays open because a card was declined (a change of money). */
export async function recordPartPayment(
  tx: Tx,
  ctx: RequestContext,
  order: { id: string; register_id: string; total_cents: number },
  settlement: Settlement,
  reason: string,
): Promise<void> {
  await recordAudit(tx, orderContext(ctx, order), {
    action: 'order.tendered',
    entityType: 'order',
    entityId: order.id,
    data: {
      order_id: order.id,
      total_cents: order.total_cents,
      paid_cents: settlement.paid_cents,
      tenders: settlement.tenders.map((t) => ({ method: t.method, applied_cents: t.applied_cents })),
      declined_reason: reason,
    },
  });
}

/**
 * Before a card is charged, a sale the stock will refuse is refused (409 `insufficient_stock`): otherwise the card
 * would be authorised, then voided when the sale's stock statement fails. The stock is checked again, under locks,
 * when it moves; this read only spares the customer's card.
 */
export async function refuseShortStockBeforeCards(
  tx: Tx,
  ctx: RequestContext,
  locationId: string,
  lines: readonly { variant_id: string; sku: string; name: string; quantity: number }[],
): Promise<void> {
  const short = await findShortStock(tx, ctx, {
    locationId,
    lines: lines.map((l) => ({ variantId: l.variant_id, sku: l.sku, label: l.name, delta: -l.quantity })),
  });
  if (short.length > 0) throw insufficientStock(short);
}

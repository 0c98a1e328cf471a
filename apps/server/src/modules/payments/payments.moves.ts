import type { RequestContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { addOutboxEvent } from '../../platform/events/index.ts';
import { recordAudit } from '../audit/index.ts';
import * as repo from './payments.repo.ts';
import type { IntentDto } from './payments.schemas.ts';
import { callGateway, checkMove, gatewayOf, moveIntent, type PaymentsDeps } from './payments.service.ts';

const TOKEN = /^tok_[a-z0-9_]{1,64}$/;
// 12 to 19 digits, possibly grouped by spaces or dashes: what a card number looks like.
const CARD_NUMBER = /^[0-9][0-9 -]{10,30}[0-9]$/;

/** Refuses anything but a processor token. The value itself never appears in a message or a log. */
function checkToken(token: string): void {
  const digits = token.replace(/[ -]/g, '');
  if (CARD_NUMBER.test(token) && /^[0-9]{12,19}$/.test(digits)) {
    throw new AppError('invalid_card_token', 'Card numbers are refused: send the token your card reader gave you');
  }
  if (!TOKEN.test(token)) throw new AppError('invalid_card_token', 'card_token must be a processor token (tok_…)');
}

function facts(row: repo.IntentRow, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    intent_id: row.id,
    order_id: row.order_id,
    amount_cents: row.amount_cents,
    currency: row.currency,
    provider: row.provider,
    ...extra,
  };
}

async function audit(tx: Tx, ctx: RequestContext, action: string, id: string, data: Record<string, unknown>) {
  await recordAudit(tx, ctx, { action, entityType: 'payment_intent', entityId: id, data });
}

/** Captures `amount` of an authorized intent (row locked by the caller); completes the payment. */
async function captureLocked(
  deps: PaymentsDeps,
  tx: Tx,
  ctx: RequestContext,
  row: repo.IntentRow,
  amount: number,
): Promise<AppError | undefined> {
  const move = checkMove(row, { type: 'capture', amountCents: amount });
  const gateway = gatewayOf(deps);
  const providerRef = row.provider_ref ?? '';
  // One capture per intent, so the key is the intent's: a retry after a crash finds the processor's first answer.
  const result = await callGateway(tx, row, () =>
    gateway.capture({ providerRef, amountCents: amount, idempotencyKey: `${row.id}:capture` }),
  );
  if ('failure' in result) {
    deps.metrics.payments.inc({ method: 'card', outcome: 'error' });
    deps.metrics.business.paymentFailed(ctx.tenantId, 'error');
    return result.failure;
  }
  await repo.updateIntent(tx, row.id, { state: move.state, captured_cents: move.capturedCents, last_error: null });
  const data = facts(row, { captured_cents: amount, authorized_cents: move.authorizedCents });
  await audit(tx, ctx, 'payment.captured', row.id, data);
  await addOutboxEvent(tx, ctx, { topic: 'payment.completed', payload: data });
  deps.metrics.payments.inc({ method: 'card', outcome: 'captured' });
  return undefined;
}

/**
 * Authorizes the intent's amount on the card token; with `capture_method: automatic` captures it at once.
 * A decline is 402 `payment_declined` with the processor's reason, the intent stays `created` with `last_error`.
 */
export function confirmIntent(
  deps: PaymentsDeps,
  ctx: RequestContext,
  id: string,
  cardToken: string,
): Promise<IntentDto> {
  checkToken(cardToken);
  const gateway = gatewayOf(deps);
  return moveIntent(deps, ctx, id, async (tx, row) => {
    const move = checkMove(row, { type: 'confirm', authorizedCents: row.amount_cents });
    // The key names the intent's one authorization, not this attempt: confirming again after a timeout or a crash
    // reaches the processor's first authorization instead of a second charge.
    const result = await callGateway(
      tx,
      row,
      () =>
        gateway.authorize({
          amountCents: row.amount_cents,
          currency: row.currency,
          cardToken,
          idempotencyKey: `${row.id}:authorize`,
        }),
      () => new AppError('invalid_card_token', 'The card processor does not know this card token'),
    );
    if ('failure' in result) {
      const outcome = result.failure.code === 'payment_declined' ? 'declined' : 'error';
      deps.metrics.payments.inc({ method: 'card', outcome });
      deps.metrics.business.paymentFailed(ctx.tenantId, outcome);
      return result.failure;
    }
    const auth = result.ok;
    const update = {
      state: move.state,
      authorized_cents: move.authorizedCents,
      card_brand: auth.brand.slice(0, 32),
      card_last4: /^[0-9]{4}$/.test(auth.last4) ? auth.last4 : null,
      provider: gateway.name,
      provider_ref: auth.providerRef,
      last_error: null,
    };
    await repo.updateIntent(tx, row.id, update);
    const authorized: repo.IntentRow = { ...row, ...update };
    await audit(
      tx,
      ctx,
      'payment.authorized',
      row.id,
      facts(authorized, { card_brand: update.card_brand, card_last4: update.card_last4 }),
    );
    deps.metrics.payments.inc({ method: 'card', outcome: 'authorized' });
    if (row.capture_method === 'manual') return undefined;
    return captureLocked(deps, tx, ctx, authorized, move.authorizedCents);
  });
}

/** Captures an authorized intent: all of it, or `amountCents` (at most what was authorized; the rest is released). */
export function captureIntent(
  deps: PaymentsDeps,
  ctx: RequestContext,
  id: string,
  amountCents: number | undefined,
): Promise<IntentDto> {
  gatewayOf(deps);
  return moveIntent(deps, ctx, id, (tx, row) => captureLocked(deps, tx, ctx, row, amountCents ?? row.authorized_cents));
}

/** Voids an authorization that was not captured (manager or above). */
export function voidIntent(
  deps: PaymentsDeps,
  ctx: RequestContext,
  id: string,
  reason: string | undefined,
): Promise<IntentDto> {
  const gateway = gatewayOf(deps);
  return moveIntent(deps, ctx, id, async (tx, row) => {
    const move = checkMove(row, { type: 'void' });
    const providerRef = row.provider_ref ?? '';
    const result = await callGateway(tx, row, () => gateway.void({ providerRef, idempotencyKey: `${row.id}:void` }));
    if ('failure' in result) return result.failure;
    await repo.updateIntent(tx, row.id, { state: move.state, provider_ref: result.ok.providerRef, last_error: null });
    await audit(
      tx,
      ctx,
      'payment.voided',
      row.id,
      facts(row, { reason: reason ?? null, provider_ref: result.ok.providerRef }),
    );
    deps.metrics.voids.inc();
    return undefined;
  });
}

/**
 * Refunds a captured intent: `amountCents`, or all that is left (manager or above). Refunds add up to at most the
 * capture (422 `refund_exceeds_captured`).
 */
export function refundIntent(
  deps: PaymentsDeps,
  ctx: RequestContext,
  id: string,
  input: { amount_cents?: number | undefined; reason: string },
): Promise<IntentDto> {
  const gateway = gatewayOf(deps);
  return moveIntent(deps, ctx, id, async (tx, row) => {
    const amount = input.amount_cents ?? Math.max(row.captured_cents - row.refunded_cents, 1);
    const move = checkMove(row, { type: 'refund', amountCents: amount });
    const providerRef = row.provider_ref ?? '';
    // What was refunded before this one (read under the row lock) names this refund: a retry of a refund whose
    // commit was lost reaches the processor's first answer instead of refunding twice.
    const idempotencyKey = `${row.id}:refund:${row.refunded_cents}:${amount}`;
    const result = await callGateway(tx, row, () =>
      gateway.refund({ providerRef, amountCents: amount, idempotencyKey }),
    );
    if ('failure' in result) return result.failure;
    await repo.updateIntent(tx, row.id, { state: move.state, refunded_cents: move.refundedCents, last_error: null });
    await repo.insertRefund(tx, ctx, {
      intentId: row.id,
      amountCents: amount,
      reason: input.reason,
      providerRef: result.ok.providerRef,
    });
    const data = facts(row, { refund_cents: amount, refunded_cents: move.refundedCents, reason: input.reason });
    await audit(tx, ctx, 'payment.refunded', row.id, data);
    await addOutboxEvent(tx, ctx, { topic: 'payment.refunded', payload: data });
    deps.metrics.refunds.inc();
    deps.metrics.business.refunded(ctx.tenantId, row.currency, amount);
    return undefined;
  });
}

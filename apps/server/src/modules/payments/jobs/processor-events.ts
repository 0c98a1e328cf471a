import type { Logger } from 'pino';
import { systemContext } from '../../../platform/context.ts';
import type { Tx } from '../../../platform/db/tx.ts';
import { addOutboxEvent } from '../../../platform/events/index.ts';
import { recordAudit } from '../../audit/index.ts';
import { registerWebhookHandler, type WebhookEvent } from '../../webhooks/index.ts';
import * as paymentsRepo from '../payments.repo.ts';
import { checkMove, moveIntent, type PaymentsDeps } from '../payments.service.ts';
import { findIntentsByProviderRef } from './jobs.repo.ts';

/** The webhook providers whose `charge.*` events move intents (docs/payments.md, "Processor events"). */
export const PROCESSOR_PROVIDERS = ['gateway-sim', 'processor'] as const;

export type ProcessorMove = { kind: 'capture'; amountCents: number } | { kind: 'refund'; totalRefundedCents: number };

/**
 * Records on our intent what the processor says already happened (it captured or refunded the charge itself), with
 * the intent's row locked, the domain state machine's checks, an audit entry and the outbox event, exactly like the
 * API's moves, but without calling the processor back. Idempotent: an intent already captured stays as it is, and
 * a refund total we already hold changes nothing. Returns whether anything changed.
 */
export async function applyProcessorMove(
  deps: PaymentsDeps,
  providerRef: string,
  move: ProcessorMove,
): Promise<'applied' | 'unchanged'> {
  const found = await findIntentsByProviderRef(deps.db.system, providerRef);
  // Thrown (not ignored) so the event is retried: it may have overtaken the commit of our authorization.
  if (found.length !== 1 || found[0] === undefined) {
    throw new Error(`${found.length === 0 ? 'no' : 'more than one'} payment intent with this provider_ref`);
  }
  const { id, tenant_id: tenantId } = found[0];
  const ctx = systemContext(tenantId);
  let outcome: 'applied' | 'unchanged' = 'unchanged';
  await moveIntent(deps, ctx, id, async (tx, row) => {
    outcome =
      move.kind === 'capture' ? await capture(deps, tx, row, move.amountCents) : await refund(deps, tx, row, move);
    return undefined;
  });
  return outcome;

  async function capture(d: PaymentsDeps, tx: Tx, row: paymentsRepo.IntentRow, amount: number) {
    if (['captured', 'partially_refunded', 'refunded'].includes(row.state)) return 'unchanged';
    const next = checkMove(row, { type: 'capture', amountCents: amount });
    await paymentsRepo.updateIntent(tx, row.id, {
      state: next.state,
      captured_cents: next.capturedCents,
      last_error: null,
    });
    const data = { ...facts(row), captured_cents: amount, source: 'processor' };
    await recordAudit(tx, ctx, { action: 'payment.captured', entityType: 'payment_intent', entityId: row.id, data });
    await addOutboxEvent(tx, ctx, { topic: 'payment.completed', payload: data });
    d.metrics.payments.inc({ method: 'card', outcome: 'captured' });
    return 'applied' as const;
  }

  async function refund(d: PaymentsDeps, tx: Tx, row: paymentsRepo.IntentRow, m: { totalRefundedCents: number }) {
    const amount = m.totalRefundedCents - row.refunded_cents;
    if (amount <= 0) return 'unchanged';
    const next = checkMove(row, { type: 'refund', amountCents: amount });
    await paymentsRepo.updateIntent(tx, row.id, {
      state: next.state,
      refunded_cents: next.refundedCents,
      last_error: null,
    });
    await paymentsRepo.insertRefund(tx, ctx, {
      intentId: row.id,
      amountCents: amount,
      reason: 'refunded at the processor',
      providerRef,
    });
    const data = { ...facts(row), refund_cents: amount, refunded_cents: next.refundedCents, source: 'processor' };
    await recordAudit(tx, ctx, { action: 'payment.refunded', entityType: 'payment_intent', entityId: row.id, data });
    await addOutboxEvent(tx, ctx, { topic: 'payment.refunded', payload: data });
    d.metrics.refunds.inc();
    return 'applied' as const;
  }
}

function facts(row: paymentsRepo.IntentRow): Record<string, unknown> {
  return {
    intent_id: row.id,
    order_id: row.order_id,
    amount_cents: row.amount_cents,
    currency: row.currency,
    provider: row.provider,
  };
}

/** `{provider_ref, amount_cents}` at the top of the payload or under `data` (as Stripe nests its objects). */
function chargeOf(event: WebhookEvent): { providerRef: string; amountCents: number } {
  const data = event.payload.data;
  const body = (typeof data === 'object' && data !== null ? data : event.payload) as Record<string, unknown>;
  const ref = body.provider_ref;
  const amount = body.amount_cents;
  if (typeof ref !== 'string' || ref.length === 0 || ref.length > 255) {
    throw new Error('charge event without a provider_ref');
  }
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) {
    throw new Error('charge event without a whole, non-negative amount_cents');
  }
  return { providerRef: ref, amountCents: amount };
}

/**
 * Registers `charge.captured` and `charge.refunded` for each processor provider. Returns the function that removes
 * them (tests). A permanent refusal (e.g. the intent was voided) is thrown like any failure: the event is retried
 * and ends `failed`, where an operator sees it next to the reconciliation's drift.
 */
export function registerPaymentWebhookHandlers(deps: PaymentsDeps, logger?: Pick<Logger, 'info'>): () => void {
  const offs: (() => void)[] = [];
  for (const provider of PROCESSOR_PROVIDERS) {
    offs.push(
      registerWebhookHandler(provider, 'charge.captured', async (_context, event) => {
        const { providerRef, amountCents } = chargeOf(event);
        const outcome = await applyProcessorMove(deps, providerRef, { kind: 'capture', amountCents });
        logger?.info({ event_id: event.id, outcome }, 'processor capture');
      }),
      registerWebhookHandler(provider, 'charge.refunded', async (_context, event) => {
        const { providerRef, amountCents } = chargeOf(event);
        const outcome = await applyProcessorMove(deps, providerRef, {
          kind: 'refund',
          totalRefundedCents: amountCents,
        });
        logger?.info({ event_id: event.id, outcome }, 'processor refund');
      }),
    );
  }
  return () => offs.forEach((off) => off());
}

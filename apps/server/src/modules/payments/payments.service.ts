import { IntentTransitionError, nextIntentState, type IntentEvent, type IntentMove } from '@novapos/domain';
import type { Config } from '../../platform/config.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { GatewayDecline, GatewayRejected, GatewayUnavailable, type PaymentGateway } from './gateway/gateway.ts';
import { toIntentDto } from './payments.dto.ts';
import type { PaymentMetrics } from './payments.metrics.ts';
import * as repo from './payments.repo.ts';
import type { CreateIntentInput, IntentDto } from './payments.schemas.ts';

export interface PaymentsDeps {
  readonly db: Database;
  readonly config: Config;
  /** Undefined when GATEWAY_URL is unset: card payments are off (503 payments_disabled). */
  readonly gateway: PaymentGateway | undefined;
  readonly metrics: PaymentMetrics;
}

export function intentNotFound(): AppError {
  return new AppError('payment_intent_not_found', 'No payment intent with this id');
}

/** The gateway, or 503 payments_disabled. */
export function gatewayOf(deps: PaymentsDeps): PaymentGateway {
  if (deps.gateway === undefined) {
    throw new AppError('payments_disabled', 'Card payments are not configured on this server (GATEWAY_URL)');
  }
  return deps.gateway;
}

/**
 * Creates an intent in `created`. With an `Idempotency-Key` the key is stored on the intent (unique per tenant):
 * sending it again returns the first intent (`created: false`) even if the idempotency layer's own record is gone.
 */
export function createIntent(
  deps: PaymentsDeps,
  ctx: RequestContext,
  input: CreateIntentInput,
  idempotencyKey: string | undefined,
): Promise<{ intent: IntentDto; created: boolean }> {
  return tenantTx(deps.db, ctx, async (tx) => {
    if (input.order_id !== undefined && !(await repo.orderExists(tx, input.order_id))) {
      throw new AppError('order_not_found', 'No order with this id');
    }
    const id = await repo.insertIntent(tx, ctx, {
      order_id: input.order_id ?? null,
      amount_cents: input.amount_cents,
      currency: input.currency,
      capture_method: input.capture_method ?? 'automatic',
      idempotency_key: idempotencyKey ?? null,
    });
    const row = id === undefined ? await repo.findIntentByKey(tx, idempotencyKey ?? '') : await repo.findIntent(tx, id);
    if (row === undefined) throw intentNotFound();
    return { intent: toIntentDto(row, await repo.findRefunds(tx, row.id)), created: id !== undefined };
  });
}

export function getIntent(deps: PaymentsDeps, ctx: RequestContext, id: string): Promise<IntentDto> {
  return tenantTx(deps.db, ctx, async (tx) => {
    const row = await repo.findIntent(tx, id);
    if (row === undefined) throw intentNotFound();
    return toIntentDto(row, await repo.findRefunds(tx, row.id));
  });
}

/** The domain's verdict on a move, as the API's problem: 409 with the current state, or 422 for amounts. */
export function checkMove(row: repo.IntentRow, event: IntentEvent): IntentMove {
  try {
    return nextIntentState(row.state, event, {
      authorizedCents: row.authorized_cents,
      capturedCents: row.captured_cents,
      refundedCents: row.refunded_cents,
    });
  } catch (err) {
    if (err instanceof IntentTransitionError) {
      throw new AppError(err.code, err.message, { extra: { current_state: row.state } });
    }
    throw err;
  }
}

/**
 * Runs one move of an intent with its row locked (SELECT … FOR UPDATE) from the first read to the commit, the
 * processor call included. Two captures or refunds of one intent therefore run one after the other: the second
 * sees the first's result and is refused by the state machine. That holds a connection during the processor call
 * (at most the gateway's timeout × attempts): correctness over throughput, for ONE intent; other intents never
 * wait. A failure the move wants remembered (a decline, an unreachable processor) is returned by `fn`, so that
 * `last_error` commits, and thrown after the commit.
 */
export async function moveIntent(
  deps: PaymentsDeps,
  ctx: RequestContext,
  id: string,
  fn: (tx: Tx, row: repo.IntentRow) => Promise<AppError | undefined>,
): Promise<IntentDto> {
  const { dto, failure } = await tenantTx(deps.db, ctx, async (tx) => {
    const row = await repo.findIntent(tx, id, true);
    if (row === undefined) throw intentNotFound();
    const failure = await fn(tx, row);
    const saved = await repo.findIntent(tx, id);
    if (saved === undefined) throw intentNotFound();
    return { dto: toIntentDto(saved, await repo.findRefunds(tx, id)), failure };
  });
  if (failure !== undefined) throw failure;
  return dto;
}

/**
 * Calls the processor; a failure is written to the intent's `last_error` and handed back as the problem to
 * answer with (declines: 402 payment_declined with the processor's reason).
 */
export async function callGateway<T>(
  tx: Tx,
  row: repo.IntentRow,
  call: () => Promise<T>,
  onRejected?: () => AppError,
): Promise<{ ok: T } | { failure: AppError }> {
  try {
    return { ok: await call() };
  } catch (err) {
    let failure: AppError;
    if (err instanceof GatewayDecline) {
      failure = new AppError('payment_declined', `The card was declined (${err.reason})`, {
        extra: { reason: err.reason },
      });
      await repo.updateIntent(tx, row.id, { last_error: `declined: ${err.reason}` });
    } else if (err instanceof GatewayRejected && onRejected !== undefined) {
      failure = onRejected();
      await repo.updateIntent(tx, row.id, { last_error: failure.message });
    } else if (err instanceof GatewayUnavailable || err instanceof GatewayRejected) {
      failure = new AppError('gateway_unavailable', 'The card processor could not complete the request; try again', {
        cause: err,
      });
      await repo.updateIntent(tx, row.id, { last_error: err.message.slice(0, 500) });
    } else {
      throw err;
    }
    return { failure };
  }
}

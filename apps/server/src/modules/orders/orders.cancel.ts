import type { RequestContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { addOutboxEvent } from '../../platform/events/index.ts';
import { recordAudit } from '../audit/index.ts';
import { cardsToGiveBack, giveBackInHand, giveCardsBack } from './orders.give-back.ts';
import { orderContext } from './orders.complete.ts';
import type { OrdersDeps } from './orders.deps.ts';
import { toOrderDto } from './orders.dto.ts';
import * as repo from './orders.repo.ts';
import type { OrderDto } from './orders.schemas.ts';
import { orderNotFound } from './orders.service.ts';
import { transition } from './orders.state.ts';

/**
 * Cancels a sale in progress (POST /v1/orders/:id/cancel, any seller): an open order, parked or partly paid after a
 * declined card, is abandoned and what its tenders took goes back. In one transaction: the state machine's `cancel`
 * (only an open order: a completed one is 409 `invalid_state_transition`, it is voided or returned instead), the
 * cash tenders recorded as handed back (`cash_returned`) and a stand-alone terminal's as refunded there
 * (`terminal_refund`), the audit event `order.cancelled` with what the cashier gives back, and `order.cancelled`
 * raised. Then, after the commit (a processor call never holds the order's lock), each card tender's intent is voided
 * when only authorised or refunded when captured, and the tender records it.
 *
 * Idempotent: cancelling a cancelled order answers it again and retries any card whose processor call failed (the
 * intents' own idempotency keys make a retry safe); if one still fails, its error is the answer and the order stays
 * cancelled with that card's `reversal` null.
 */
export async function cancelOrder(
  deps: OrdersDeps,
  ctx: RequestContext,
  orderId: string,
  reason: string,
): Promise<OrderDto> {
  const cards = await tenantTx(deps.db, ctx, async (tx) => {
    const order = await repo.findOrder(tx, orderId, true);
    if (order === undefined || (ctx.locationIds.length > 0 && !ctx.locationIds.includes(order.location_id))) {
      throw orderNotFound();
    }
    const tenders = await repo.findTenders(tx, order.id);
    const cardsLeft = cardsToGiveBack(tenders);
    if (order.status === 'cancelled') return cardsLeft;
    const status = transition(order.status, 'cancel');
    await repo.markCancelled(tx, order.id, { status, actorId: ctx.actorId ?? null, reason });
    const givenBack = await giveBackInHand(tx, tenders);
    const facts = {
      order_id: order.id,
      register_id: order.register_id,
      location_id: order.location_id,
      total_cents: order.total_cents,
      paid_cents: order.paid_cents,
      currency: order.currency,
      reason,
      ...givenBack,
      tenders: tenders.map((t) => ({ method: t.method, applied_cents: t.applied_cents })),
    };
    const orderCtx = orderContext(ctx, order);
    await recordAudit(tx, orderCtx, {
      action: 'order.cancelled',
      entityType: 'order',
      entityId: order.id,
      data: facts,
    });
    await addOutboxEvent(tx, orderCtx, { topic: 'order.cancelled', payload: facts });
    return cardsLeft;
  });

  await giveCardsBack(deps, ctx, cards, 'sale cancelled at the till');
  return tenantTx(deps.db, ctx, async (tx) => {
    const saved = await repo.findOrder(tx, orderId);
    if (saved === undefined) throw orderNotFound();
    return toOrderDto(tx, saved);
  });
}

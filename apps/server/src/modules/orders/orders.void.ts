import type { RequestContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { addOutboxEvent } from '../../platform/events/index.ts';
import { recordAudit } from '../audit/index.ts';
import { applyStockMovements } from '../inventory/index.ts';
import { cardsToGiveBack, giveBackInHand, giveCardsBack } from './orders.give-back.ts';
import { orderContext } from './orders.complete.ts';
import { transition } from './orders.state.ts';
import { toOrderDto } from './orders.dto.ts';
import * as repo from './orders.repo.ts';
import type { OrderDto } from './orders.schemas.ts';
import { orderNotFound } from './orders.service.ts';
import type { OrdersDeps } from './orders.deps.ts';

/**
 * Voids an order (manager or above, checked by the route): a completed order's stock goes back to the shelf, its
 * cash is recorded as handed back (`cash_returned`) and a stand-alone terminal's card as refunded there
 * (`terminal_refund`), the void is audited with its reason and `order.voided` is raised, all in one transaction.
 * Then, after the commit, each card charged through the processor is given back (`giveCardsBack`: a void of an
 * intent only authorised, a full refund of a captured one), so a voided sale never leaves the customer charged.
 *
 * Voiding a voided order is 409 `invalid_state_transition` with the current status — unless one of its cards was
 * not given back (the processor was down): then the void is sent again to retry it, and answers the order. The
 * order keeps its number: numbers have no gaps, and a voided sale is still part of the register's history.
 */
export async function voidOrder(
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
    if (order.status === 'voided' && cardsLeft.length > 0) return cardsLeft;
    const status = transition(order.status, 'void');
    await repo.markVoided(tx, order.id, { status, actorId: ctx.actorId ?? null, reason });
    const givenBack = await giveBackInHand(tx, tenders);
    const orderCtx = orderContext(ctx, order);
    const facts = {
      order_id: order.id,
      number: order.number,
      register_id: order.register_id,
      location_id: order.location_id,
      total_cents: order.total_cents,
      previous_status: order.status,
      reason,
      ...givenBack,
    };
    // The register's audit chain before stock rows: the lock order of every sale (orders.complete.ts).
    await recordAudit(tx, orderCtx, { action: 'order.voided', entityType: 'order', entityId: order.id, data: facts });
    await addOutboxEvent(tx, orderCtx, { topic: 'order.voided', payload: facts });
    if (order.status === 'completed') {
      const lines = await repo.findLines(tx, order.id);
      await applyStockMovements(tx, ctx, {
        locationId: order.location_id,
        policy: 'allow_negative',
        reason: 'void',
        reference: { type: 'order', id: order.id },
        lines: lines.map((l) => ({ variantId: l.variant_id, delta: l.quantity, label: l.sku })),
      });
    }
    return cardsLeft;
  });
  await giveCardsBack(deps, ctx, cards, 'order voided');
  return tenantTx(deps.db, ctx, async (tx) => {
    const saved = await repo.findOrder(tx, orderId);
    if (saved === undefined) throw orderNotFound();
    return toOrderDto(tx, saved);
  });
}

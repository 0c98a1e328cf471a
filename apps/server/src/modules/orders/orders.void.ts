import type { RequestContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { addOutboxEvent } from '../../platform/events/index.ts';
import { recordAudit } from '../audit/index.ts';
import { applyStockMovements } from '../inventory/index.ts';
import { orderContext } from './orders.complete.ts';
import { transition } from './orders.state.ts';
import { toOrderDto } from './orders.dto.ts';
import * as repo from './orders.repo.ts';
import type { OrderDto } from './orders.schemas.ts';
import { orderNotFound } from './orders.service.ts';
import type { OrdersDeps } from './orders.deps.ts';

/**
 * Voids an order (manager or above, checked by the route): a completed order's stock goes back to the shelf,
 * the void is audited with its reason and `order.voided` is raised, all in one transaction. Voiding a voided
 * order is 409 `invalid_state_transition` with the current status. The order keeps its number: numbers have no
 * gaps, and a voided sale is still part of the register's history.
 */
export function voidOrder(deps: OrdersDeps, ctx: RequestContext, orderId: string, reason: string): Promise<OrderDto> {
  return tenantTx(deps.db, ctx, async (tx) => {
    const order = await repo.findOrder(tx, orderId, true);
    if (order === undefined || (ctx.locationIds.length > 0 && !ctx.locationIds.includes(order.location_id))) {
      throw orderNotFound();
    }
    const status = transition(order.status, 'void');
    await repo.markVoided(tx, order.id, { status, actorId: ctx.actorId ?? null, reason });
    const orderCtx = orderContext(ctx, order);
    const facts = {
      order_id: order.id,
      number: order.number,
      register_id: order.register_id,
      location_id: order.location_id,
      total_cents: order.total_cents,
      previous_status: order.status,
      reason,
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
    const saved = await repo.findOrder(tx, order.id);
    if (saved === undefined) throw orderNotFound();
    return toOrderDto(tx, saved);
  });
}

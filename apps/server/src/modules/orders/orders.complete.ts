import type { Settlement } from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { addOutboxEvent } from '../../platform/events/index.ts';
import { recordAudit } from '../audit/index.ts';
import { applyStockMovements, type StockPolicy } from '../inventory/index.ts';
import * as repo from './orders.repo.ts';

/** The context of an order's own events: its register's audit chain, whoever rings it up. */
export function orderContext(ctx: RequestContext, order: { register_id: string }): RequestContext {
  return { ...ctx, registerId: order.register_id };
}

/**
 * Completes a paid order inside its transaction: the register's next number, the sale taken from stock, the
 * audit event and `order.completed`. Locks are taken in one order on every path — register counter, then stock
 * rows (in variant order), then the audit chain head — so concurrent sales cannot deadlock.
 */
export async function completeOrder(
  tx: Tx,
  ctx: RequestContext,
  order: { id: string; register_id: string; location_id: string; total_cents: number; currency: string },
  lines: readonly { variant_id: string; sku: string; quantity: number }[],
  settlement: Settlement,
  policy: StockPolicy,
): Promise<number> {
  const orderCtx = orderContext(ctx, order);
  const number = await repo.nextOrderNumber(tx, ctx, order.register_id);
  await applyStockMovements(tx, ctx, {
    locationId: order.location_id,
    policy,
    reason: 'sale',
    reference: { type: 'order', id: order.id },
    lines: lines.map((l) => ({ variantId: l.variant_id, delta: -l.quantity, label: l.sku })),
  });
  await repo.markCompleted(tx, order.id, {
    number,
    paid: settlement.paid_cents,
    change: settlement.change_cents,
    cashRounding: settlement.cash_rounding_cents,
  });
  const facts = {
    order_id: order.id,
    number,
    register_id: order.register_id,
    location_id: order.location_id,
    total_cents: order.total_cents,
    paid_cents: settlement.paid_cents,
    change_cents: settlement.change_cents,
    currency: order.currency,
    tenders: settlement.tenders.map((t) => ({ method: t.method, applied_cents: t.applied_cents })),
  };
  await recordAudit(tx, orderCtx, { action: 'order.completed', entityType: 'order', entityId: order.id, data: facts });
  await addOutboxEvent(tx, orderCtx, { topic: 'order.completed', payload: facts });
  return number;
}

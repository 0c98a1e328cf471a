import type { OrderStatus, Settlement } from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { addOutboxEvent } from '../../platform/events/index.ts';
import { recordAudit } from '../audit/index.ts';
import { applyStockMovements, type StockPolicy } from '../inventory/index.ts';
import type { StockOverride } from '../pos/index.ts';
import * as repo from './orders.repo.ts';
import { transition } from './orders.state.ts';

/** The context of an order's own events: its register's audit chain, whoever rings it up. */
export function orderContext(ctx: RequestContext, order: { register_id: string }): RequestContext {
  return { ...ctx, registerId: order.register_id };
}

/** The facts of a completed order, as its audit event and `order.completed` carry them. */
function completionFacts(
  order: { id: string; register_id: string; location_id: string; total_cents: number; currency: string },
  number: number,
  settlement: Settlement,
) {
  return {
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
}

/**
 * What completing a numbered, saved order writes in its transaction: the audit event and `order.completed`, then
 * the sale taken from stock.
 *
 * Lock order, the same on every path that takes these locks: the register's counter and audit chain head first,
 * stock rows last (in variant order), the back-office chain after stock (adjustments) — so transactions never wait
 * in a cycle. Stock comes last because stock rows are what concurrent sales at different registers share: they are
 * held only from here to COMMIT. A sale short of stock fails here (409, naming each short line) and rolls everything
 * back — unless a manager approved selling it beyond stock (`override`): then stock goes below zero and
 * `order.oversold` names the manager and each line sold short (after the stock rows, on the chain head we hold).
 */
export async function recordCompletion(
  tx: Tx,
  ctx: RequestContext,
  order: { id: string; register_id: string; location_id: string; total_cents: number; currency: string },
  number: number,
  lines: readonly SoldLine[],
  settlement: Settlement,
  policy: StockPolicy,
  override?: StockOverride,
): Promise<void> {
  const orderCtx = orderContext(ctx, order);
  const facts = completionFacts(order, number, settlement);
  await recordAudit(tx, orderCtx, { action: 'order.completed', entityType: 'order', entityId: order.id, data: facts });
  await addOutboxEvent(tx, orderCtx, { topic: 'order.completed', payload: facts });
  const { short } = await applyStockMovements(tx, ctx, {
    locationId: order.location_id,
    policy: override === undefined ? policy : 'allow_negative',
    reason: 'sale',
    reference: { type: 'order', id: order.id },
    lines: lines.map((l) => ({ variantId: l.variant_id, delta: -l.quantity, label: l.name })),
  });
  if (override !== undefined && short.length > 0) {
    await recordAudit(tx, orderCtx, {
      action: 'order.oversold',
      entityType: 'order',
      entityId: order.id,
      data: {
        order_id: order.id,
        number,
        location_id: order.location_id,
        policy,
        manager_id: override.manager_id,
        approval_id: override.approval_id,
        cashier_id: ctx.actorId ?? null,
        lines: short,
      },
    });
  }
}

/** A line as completion takes it from stock: its variant, quantity, and how it reads to a person. */
export interface SoldLine {
  readonly variant_id: string;
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
}

/**
 * Completes an open order that its tenders now cover (a parked order paid later): its status (the state
 * machine's `pay`), its number, then what `recordCompletion` writes.
 */
export async function completeOrder(
  tx: Tx,
  ctx: RequestContext,
  order: {
    id: string;
    status: OrderStatus;
    register_id: string;
    location_id: string;
    total_cents: number;
    currency: string;
  },
  lines: readonly SoldLine[],
  settlement: Settlement,
  policy: StockPolicy,
  override?: StockOverride,
): Promise<number> {
  const status = transition(order.status, 'pay');
  const number = await repo.nextOrderNumber(tx, ctx, order.register_id);
  await repo.markCompleted(tx, order.id, {
    status,
    number,
    paid: settlement.paid_cents,
    change: settlement.change_cents,
    cashRounding: settlement.cash_rounding_cents,
  });
  await recordCompletion(tx, ctx, order, number, lines, settlement, policy, override);
  return number;
}

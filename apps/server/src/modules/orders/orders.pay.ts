import type { RequestContext } from '../../platform/context.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { linkIntentsToOrder } from '../payments/index.ts';
import { stockOverrideOf, type StockOverride } from '../pos/index.ts';
import { getTenantMoneySettings } from '../tenancy/index.ts';
import {
  authorizeCards,
  captureCards,
  cardPayments,
  declinedError,
  hasCards,
  keptTenders,
  NO_CARDS,
  recordPartPayment,
  tenderRows,
  voidCards,
  type CardAuthorizations,
  type TenderRequest,
  refuseShortStockBeforeCards,
} from './orders.cards.ts';
import { completeOrder } from './orders.complete.ts';
import { toOrderDto } from './orders.dto.ts';
import * as repo from './orders.repo.ts';
import { transition } from './orders.state.ts';
import type { OrderDto } from './orders.schemas.ts';
import { orderNotFound, settle, settleAny } from './orders.service.ts';
import type { OrdersDeps, PlaceOrderDeps } from './orders.deps.ts';

/** An open order, or 404 / 409 `invalid_state_transition`. */
async function openOrder(tx: Tx, orderId: string, lock: boolean): Promise<repo.OrderRow> {
  const order = await repo.findOrder(tx, orderId, lock);
  if (order === undefined) throw orderNotFound();
  // Only an order the state machine lets be paid takes tenders (an open one).
  transition(order.status, 'pay');
  return order;
}

/**
 * A manager's approval to sell the order beyond stock, checked against the order's register (its tenant, order id
 * and kind are the checker's): the override, undefined without an approval, 403 `invalid_approval` when invalid.
 */
export type StockApprovalCheck = (registerId: string) => Promise<StockOverride | undefined>;

/**
 * Pays an open order as POST /v1/orders/{id}/tenders asks (the use case behind `addTenders`): with a manager's
 * `stock_approval` for this order (its register checked against the order's), it completes beyond stock.
 */
export function payOrder(
  deps: PlaceOrderDeps,
  ctx: RequestContext,
  orderId: string,
  body: { readonly tenders: readonly TenderRequest[]; readonly stock_approval?: string | undefined },
): Promise<OrderDto> {
  const approval = body.stock_approval;
  const check: StockApprovalCheck | undefined =
    approval === undefined
      ? undefined
      : (registerId) => stockOverrideOf(deps, ctx, { order_id: orderId, register_id: registerId, approval });
  return addTenders(deps, ctx, orderId, body.tenders, check);
}

/**
 * Pays an open (parked, or partly paid) order: tenders that cover what is left complete it; anything less is 422
 * insufficient_tender. Card tenders go as in `createOrder`: checked (stock too), authorized outside the
 * transaction, saved, captured; voided if the save fails; a decline keeps the other tenders and answers 402
 * `payment_declined`. `stockApproval`: a manager's approval to complete it beyond stock (docs/pos.md).
 */
export async function addTenders(
  deps: OrdersDeps,
  ctx: RequestContext,
  orderId: string,
  tenders: readonly TenderRequest[],
  stockApproval?: StockApprovalCheck,
): Promise<OrderDto> {
  if (!hasCards(tenders)) return saveTenders(deps, ctx, orderId, tenders, NO_CARDS, undefined, stockApproval);
  const payments = cardPayments(deps);
  const prepared = await tenantTx(deps.db, ctx, async (tx) => {
    const order = await openOrder(tx, orderId, false);
    const settings = await getTenantMoneySettings(tx, ctx, deps.config.moneyRounding);
    settle(order.total_cents, tenders, {
      alreadyPaid: order.paid_cents,
      cashRoundingCents: settings.cash_rounding_cents ?? undefined,
      rounding: settings.money_rounding,
    });
    // Nor is a card charged for a sale the stock will refuse (checked again, under locks, when stock moves).
    const override = await stockApproval?.(order.register_id);
    if (settings.stock_policy === 'block' && override === undefined) {
      await refuseShortStockBeforeCards(tx, ctx, order.location_id, await repo.findLines(tx, orderId));
    }
    const position = (await repo.findTenders(tx, orderId)).length;
    return { currency: order.currency, paid: order.paid_cents, position };
  });
  const cards = await authorizeCards(payments, ctx, {
    orderId,
    currency: prepared.currency,
    firstPosition: prepared.position,
    tenders,
  });
  let dto: OrderDto;
  try {
    dto = await saveTenders(deps, ctx, orderId, tenders, cards, prepared.paid, stockApproval);
  } catch (err) {
    await voidCards(payments, ctx, cards.authorized);
    throw err;
  }
  await captureCards(payments, ctx, cards.authorized);
  if (cards.declined !== undefined) throw declinedError(cards.declined.reason, orderId);
  return dto;
}

/** Records tenders on an open order in one transaction, completing it when they cover what is left. */
function saveTenders(
  deps: OrdersDeps,
  ctx: RequestContext,
  orderId: string,
  requested: readonly TenderRequest[],
  cards: CardAuthorizations,
  expectedPaid: number | undefined,
  stockApproval: StockApprovalCheck | undefined,
): Promise<OrderDto> {
  return tenantTx(deps.db, ctx, async (tx) => {
    const order = await openOrder(tx, orderId, true);
    const override = await stockApproval?.(order.register_id);
    if (expectedPaid !== undefined && order.paid_cents !== expectedPaid) {
      // Another payment landed while the cards were authorized: these authorizations are voided by the caller.
      throw new AppError('invalid_state_transition', 'The order was paid meanwhile; read it and try again', {
        extra: { current_status: order.status },
      });
    }
    const settings = await getTenantMoneySettings(tx, ctx, deps.config.moneyRounding);
    const options = {
      alreadyPaid: order.paid_cents,
      cashRoundingCents: settings.cash_rounding_cents ?? undefined,
      rounding: settings.money_rounding,
    };
    const tenders = keptTenders(requested, cards);
    const plain = tenders.map((k) => k.tender);
    const settlement =
      cards.declined === undefined
        ? settle(order.total_cents, plain, options)
        : settleAny(order.total_cents, plain, options);
    if (cards.declined !== undefined && settlement.settled) throw declinedError(cards.declined.reason, orderId);
    await linkIntentsToOrder(tx, cards.intentIds, order.id);
    await repo.insertTenders(tx, ctx, order.id, tenderRows(settlement, tenders, cards));
    // What earlier tenders paid counts too: the order's paid_cents is the sum of all its tenders.
    const total = { ...settlement, paid_cents: order.paid_cents + settlement.paid_cents };
    if (cards.declined === undefined) {
      const lines = await repo.findLines(tx, order.id);
      await completeOrder(tx, ctx, order, lines, total, settings.stock_policy, override);
    } else {
      // Partly paid, it stays open: the machine's `park`.
      transition(order.status, 'park');
      await repo.setPaid(tx, order.id, total.paid_cents);
      await recordPartPayment(tx, ctx, order, total, cards.declined.reason);
    }
    const saved = await repo.findOrder(tx, order.id);
    if (saved === undefined) throw orderNotFound();
    return toOrderDto(tx, saved);
  });
}

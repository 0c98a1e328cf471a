import { settleTenders, TenderError, type Settlement, type TenderInput } from '@novapos/domain';
import type { Config } from '../../platform/config.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { auditExplicitTaxRate, getTenantMoneySettings } from '../tax/index.ts';
import { completeOrder } from './orders.complete.ts';
import { toOrderDto } from './orders.dto.ts';
import { priceCart, pricedLines } from './orders.pricing.ts';
import * as repo from './orders.repo.ts';
import type { ComputeInput, ComputeResult, CreateOrderInput, OrderDto } from './orders.schemas.ts';

export interface OrdersDeps {
  readonly db: Database;
  readonly config: Config;
}

export function orderNotFound(): AppError {
  return new AppError('order_not_found', 'No order with this id');
}

/** Settles tenders, turning the domain's refusals into 422 problems; an order to complete must be covered. */
export function settle(
  due: number,
  tenders: readonly TenderInput[],
  options: Parameters<typeof settleTenders>[2],
): Settlement {
  let settlement: Settlement;
  try {
    settlement = settleTenders(due, tenders, options);
  } catch (err) {
    if (err instanceof TenderError) throw new AppError('invalid_tender', err.message);
    throw err;
  }
  if (!settlement.settled) {
    throw new AppError('insufficient_tender', `The tenders leave ${settlement.remaining_cents} unpaid`, {
      extra: { remaining_cents: settlement.remaining_cents, paid_cents: settlement.paid_cents },
    });
  }
  return settlement;
}

/** Prices a cart without writing anything (POST /v1/orders/compute). */
export function computeOrder(
  deps: OrdersDeps,
  ctx: RequestContext,
  input: ComputeInput,
  explicitTaxBps: number | undefined,
  explain: boolean,
): Promise<ComputeResult> {
  return tenantTx(deps.db, ctx, async (tx) => {
    const cart = await priceCart(tx, ctx, {
      items: input.items,
      discountBp: input.discount_percent_bp ?? 0,
      explicitTaxBps,
      locationId: input.location_id,
      registerId: input.register_id,
      defaultTaxBps: deps.config.defaultTaxRateBps,
      defaultRounding: deps.config.moneyRounding,
      refuseArchived: false,
      trace: explain,
    });
    const t = cart.totals;
    return {
      items: pricedLines(cart).map(({ variant_id: _v, product_id: _p, ...line }) => line),
      subtotal_cents: t.subtotal_cents,
      discount_cents: t.discount_cents,
      tax_cents: t.tax_cents,
      total_cents: t.total_cents,
      currency: cart.settings.currency,
      tax_rate_bps: cart.taxRate.rate_bps,
      tax_rate_source: cart.taxRate.source,
      prices_include_tax: t.prices_include_tax,
      taxes: [...t.taxes],
      ...(t.cash_due_cents === undefined ? {} : { cash_due_cents: t.cash_due_cents }),
      ...(t.trace === undefined ? {} : { trace: t.trace.map((s) => ({ ...s })) }),
    };
  });
}

/** Where an order is rung up: an active register (and its location) the actor may work at. */
async function registerOf(tx: Tx, ctx: RequestContext, input: CreateOrderInput) {
  const register = await repo.findActiveRegister(tx, input.register_id);
  if (register === undefined) throw new AppError('register_not_found', 'No active register has this id');
  if (input.location_id !== undefined && input.location_id !== register.location_id) {
    throw invalidField('location_id', "is not the register's location");
  }
  if (register.location_archived) throw new AppError('location_archived', 'The location of this register is archived');
  if (ctx.locationIds.length > 0 && !ctx.locationIds.includes(register.location_id)) {
    throw new AppError('forbidden', 'You are not allowed to sell at this location');
  }
  return register;
}

/**
 * Creates an order from the catalog's current prices, in one transaction: lines (a price-locked snapshot),
 * tenders, and — when the tenders cover the total — completion (number, stock, audit, `order.completed`).
 * Without tenders the order stays open (parked). A client id makes it idempotent: a replay returns the first
 * order (`replayed: true`) and writes nothing.
 */
export async function createOrder(
  deps: OrdersDeps,
  ctx: RequestContext,
  input: CreateOrderInput,
  explicitTaxBps: number | undefined,
): Promise<{ order: OrderDto; replayed: boolean }> {
  const id = input.id ?? newId();
  const attempt = () =>
    tenantTx(deps.db, ctx, async (tx) => {
      const existing = await repo.findOrder(tx, id);
      if (existing !== undefined) return { order: await toOrderDto(tx, existing), replayed: true };
      const register = await registerOf(tx, ctx, input);
      const cart = await priceCart(tx, ctx, {
        items: input.items,
        discountBp: input.discount_percent_bp ?? 0,
        explicitTaxBps,
        registerId: register.id,
        locationId: register.location_id,
        defaultTaxBps: deps.config.defaultTaxRateBps,
        defaultRounding: deps.config.moneyRounding,
        refuseArchived: true,
      });
      const tenders = input.tenders ?? [];
      const settlement =
        tenders.length === 0
          ? undefined
          : settle(cart.totals.total_cents, tenders, {
              cashRoundingCents: cart.settings.cash_rounding_cents ?? undefined,
              rounding: cart.settings.money_rounding,
            });
      const t = cart.totals;
      const order = {
        id,
        location_id: register.location_id,
        register_id: register.id,
        status: 'open' as const,
        currency: cart.settings.currency,
        prices_include_tax: t.prices_include_tax,
        rounding: cart.settings.money_rounding,
        discount_bp: input.discount_percent_bp ?? 0,
        tax_rate_bps: cart.taxRate.rate_bps,
        tax_rate_source: cart.taxRate.source,
        subtotal_cents: t.subtotal_cents,
        discount_cents: t.discount_cents,
        tax_cents: t.tax_cents,
        total_cents: t.total_cents,
        paid_cents: 0,
        change_cents: 0,
        cash_rounding_cents: 0,
        note: input.note ?? null,
        created_by: ctx.actorId ?? null,
      };
      await repo.insertOrder(tx, ctx, order);
      const lines = pricedLines(cart);
      await repo.insertLines(tx, ctx, id, lines);
      await auditExplicitTaxRate(tx, { ...ctx, registerId: register.id }, { orderId: id, resolved: cart.taxRate });
      if (settlement !== undefined) {
        await repo.insertTenders(tx, ctx, id, settlement.tenders);
        await completeOrder(tx, ctx, order, lines, settlement, cart.settings.stock_policy);
      }
      const saved = await repo.findOrder(tx, id);
      if (saved === undefined) throw orderNotFound();
      return { order: await toOrderDto(tx, saved), replayed: false };
    });
  try {
    return await attempt();
  } catch (err) {
    // The same client id sent twice at once: the second insert lost the race; it now finds the first order.
    if (isUniqueViolation(err, 'orders_pkey')) return attempt();
    throw err;
  }
}

/** Pays a parked order: tenders that cover what is left complete it; anything less is 422 insufficient_tender. */
export function addTenders(
  deps: OrdersDeps,
  ctx: RequestContext,
  orderId: string,
  tenders: readonly TenderInput[],
): Promise<OrderDto> {
  return tenantTx(deps.db, ctx, async (tx) => {
    const order = await repo.findOrder(tx, orderId, true);
    if (order === undefined) throw orderNotFound();
    if (order.status !== 'open') {
      throw new AppError('invalid_state_transition', `The order is ${order.status}; only an open order takes tenders`, {
        extra: { current_status: order.status },
      });
    }
    const settings = await getTenantMoneySettings(tx, ctx, deps.config.moneyRounding);
    const settlement = settle(order.total_cents, tenders, {
      alreadyPaid: order.paid_cents,
      cashRoundingCents: settings.cash_rounding_cents ?? undefined,
      rounding: settings.money_rounding,
    });
    await repo.insertTenders(tx, ctx, order.id, settlement.tenders);
    const lines = await repo.findLines(tx, order.id);
    await completeOrder(tx, ctx, order, lines, settlement, settings.stock_policy);
    const saved = await repo.findOrder(tx, order.id);
    if (saved === undefined) throw orderNotFound();
    return toOrderDto(tx, saved);
  });
}

export function getOrder(db: Database, ctx: RequestContext, id: string): Promise<OrderDto> {
  return tenantTx(db, ctx, async (tx) => {
    const order = await repo.findOrder(tx, id);
    if (order === undefined || (ctx.locationIds.length > 0 && !ctx.locationIds.includes(order.location_id))) {
      throw orderNotFound();
    }
    return toOrderDto(tx, order);
  });
}

import { settleTenders, TenderError, type Settlement, type TenderInput } from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { linkIntentsToOrder } from '../payments/index.ts';
import { requireDiscountAllowed, stockOverrideOf, type StockOverride } from '../pos/index.ts';
import { findActiveRegister } from '../tenancy/index.ts';
import { auditExplicitTaxRate, explicitTaxRateFrom, type ExplicitTaxRateSource } from '../tax/index.ts';
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
  refuseShortStockBeforeCards,
} from './orders.cards.ts';
import { recordCompletion } from './orders.complete.ts';
import type { OrdersDeps, PlaceOrderDeps } from './orders.deps.ts';
import { orderDto, toOrderDto } from './orders.dto.ts';
import { insertNewOrder } from './orders.insert.repo.ts';
import { priceCart, priceCartFromCache, pricedLines, type PricingInput } from './orders.pricing.ts';
import { newOrderRecord } from './orders.record.ts';
import { recordReplayedSale, type ReplayPlan } from './orders.replay.ts';
import { pricingCacheFor, type ActiveRegister } from './pricing-cache.ts';
import * as repo from './orders.repo.ts';
import type { ComputeInput, ComputeResult, CreateOrderInput, OrderDto } from './orders.schemas.ts';

export type { OrdersDeps, PlaceOrderDeps } from './orders.deps.ts';

/** A request's headers as plain values (names in any case); an explicit tax rate may come in one. */
export type RequestHeaders = ExplicitTaxRateSource['headers'];

export function orderNotFound(): AppError {
  return new AppError('order_not_found', 'No order with this id');
}

/** Settles tenders, turning the domain's refusals into 422 problems; the order may stay partly paid. */
export function settleAny(
  due: number,
  tenders: readonly TenderInput[],
  options: Parameters<typeof settleTenders>[2],
): Settlement {
  try {
    return settleTenders(due, tenders, options);
  } catch (err) {
    if (err instanceof TenderError) throw new AppError('invalid_tender', err.message);
    throw err;
  }
}

/** Settles tenders, turning the domain's refusals into 422 problems; an order to complete must be covered. */
export function settle(
  due: number,
  tenders: readonly TenderInput[],
  options: Parameters<typeof settleTenders>[2],
): Settlement {
  const settlement = settleAny(due, tenders, options);
  if (!settlement.settled) {
    throw new AppError('insufficient_tender', `The tenders leave ${settlement.remaining_cents} unpaid`, {
      extra: { remaining_cents: settlement.remaining_cents, paid_cents: settlement.paid_cents },
    });
  }
  return settlement;
}

/**
 * Prices a cart without writing anything (POST /v1/orders/compute). A cart whose items, settings and rates are
 * all in the pricing cache is priced without a database round trip; otherwise in one tenant transaction.
 */
export async function computeOrder(
  deps: OrdersDeps,
  ctx: RequestContext,
  input: ComputeInput,
  request: { readonly headers?: RequestHeaders; readonly explain?: boolean } = {},
): Promise<ComputeResult> {
  const explicitTaxBps = explicitTaxRateFrom({
    bodyBps: input.tax_rate_bps,
    headers: request.headers ?? {},
    roles: ctx.roles,
  });
  const explain = request.explain === true;
  const pricing: PricingInput = {
    items: input.items,
    discountBp: input.discount_percent_bp ?? 0,
    explicitTaxBps,
    locationId: input.location_id,
    registerId: input.register_id,
    defaultTaxBps: deps.config.defaultTaxRateBps,
    defaultRounding: deps.config.moneyRounding,
    refuseArchived: false,
    trace: explain,
  };
  const cache = pricingCacheFor(deps.db);
  const cart =
    priceCartFromCache(cache, ctx, pricing) ??
    (await tenantTx(deps.db, ctx, (tx) => priceCart(tx, ctx, pricing, cache)));
  const t = cart.totals;
  return {
    items: pricedLines(cart).map(({ variant_id: _v, product_id: _p, ...line }) => line),
    subtotal_cents: t.subtotal_cents,
    discount_cents: t.discount_cents,
    item_discount_cents: t.item_discount_cents,
    order_discount_cents: t.order_discount_cents,
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
}

/** The active register of an order, from the pricing cache when it has it (it follows archiving too). */
async function activeRegister(tx: Tx, deps: OrdersDeps, ctx: RequestContext, id: string) {
  const cache = pricingCacheFor(deps.db);
  const tenantId = ctx.tenantId ?? '';
  const cached = cache.register(tenantId, id);
  if (cached !== undefined) return cached;
  const stamp = cache.stamp(tenantId);
  const found: ActiveRegister | undefined = await findActiveRegister(tx, id);
  if (found !== undefined) cache.storeRegister(tenantId, stamp, found);
  return found;
}

/** Where an order is rung up: an active register (and its location) the actor may work at. */
async function registerOf(tx: Tx, deps: OrdersDeps, ctx: RequestContext, input: CreateOrderInput) {
  const register = await activeRegister(tx, deps, ctx, input.register_id);
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

/** The register and the priced cart of a new order (refusing archived products). */
async function priceNewOrder(
  tx: Tx,
  deps: OrdersDeps,
  ctx: RequestContext,
  input: CreateOrderInput,
  explicitTaxBps: number | undefined,
  replay: ReplayPlan | undefined,
) {
  const register = await registerOf(tx, deps, ctx, input);
  const cart = await priceCart(
    tx,
    ctx,
    {
      items: input.items,
      discountBp: input.discount_percent_bp ?? 0,
      explicitTaxBps,
      registerId: register.id,
      locationId: register.location_id,
      defaultTaxBps: deps.config.defaultTaxRateBps,
      defaultRounding: deps.config.moneyRounding,
      refuseArchived: true,
      unitPrices: replay?.unitPrices,
    },
    pricingCacheFor(deps.db),
  );
  return { register, cart };
}

/**
 * An order as a till or an integrator places it (POST /v1/orders, /v1/orders/sku): the request's explicit tax
 * rate (body `tax_rate_bps`, else the `X-Tax-Rate-Bps` / `X-Tenant-Tax-Rate-Bps` headers; manager or above only),
 * then the discount check — above the cashier's limit, a manager's approval of this very sale (docs/pos.md
 * "Discounts") — and the check of a manager's approval to sell beyond stock (`stock_approval`, docs/pos.md "Not
 * enough stock"), before anything is priced or charged; then `createOrder`.
 */
export async function placeOrder(
  deps: PlaceOrderDeps,
  ctx: RequestContext,
  input: CreateOrderInput,
  headers: RequestHeaders,
): Promise<{ order: OrderDto; replayed: boolean }> {
  const explicitTaxBps = explicitTaxRateFrom({ bodyBps: input.tax_rate_bps, headers, roles: ctx.roles });
  await requireDiscountAllowed(deps, ctx, {
    line_discount_bps: input.items.map((item) => item.discount_percent_bp),
    order_discount_bp: input.discount_percent_bp ?? 0,
    order_id: input.id,
    register_id: input.register_id,
    approval: input.discount_approval,
  });
  const stockOverride = await stockOverrideOf(deps, ctx, {
    order_id: input.id,
    register_id: input.register_id,
    approval: input.stock_approval,
  });
  return createOrder(deps, ctx, input, explicitTaxBps, { stockOverride });
}

/**
 * Creates an order from the catalog's current prices, in one transaction (the use case behind `placeOrder`, and
 * the demo's, which rings up planned sales without a request's checks): lines (a price-locked snapshot),
 * tenders, and — when the tenders cover the total — completion (number, stock, audit, `order.completed`).
 * Without tenders the order stays open (parked); an empty tender list completes an order that costs nothing. A client id makes it idempotent: a replay returns the first
 * order (`replayed: true`) and writes nothing (and charges nothing).
 *
 * Card tenders (docs/orders.md "Card tenders"): the cart is priced and the tenders checked first; then each card
 * is authorized (manual capture) outside the order's transaction; then the order is saved and completed in one
 * transaction and the authorizations captured. If the save fails, the authorizations are voided. A declined card
 * keeps the order open with the other tenders: 402 `payment_declined` with `reason` and `order_id`.
 *
 * `replay`: a sale a till took offline, admitted and checked by orders.offline.ts (`placeOfflineOrder`).
 */
export async function createOrder(
  deps: OrdersDeps,
  ctx: RequestContext,
  input: CreateOrderInput,
  explicitTaxBps: number | undefined,
  options: { readonly stockOverride?: StockOverride | undefined; readonly replay?: ReplayPlan | undefined } = {},
): Promise<{ order: OrderDto; replayed: boolean }> {
  const id = input.id ?? newId();
  const tenders = input.tenders ?? [];
  const { stockOverride: override, replay } = options;
  const save = async (cards: CardAuthorizations) => {
    try {
      return await saveNewOrder(deps, ctx, input, explicitTaxBps, { id, cards, override, replay });
    } catch (err) {
      // A replay (the same client id again, perhaps at the same moment: the second insert lost the race) answers
      // the first order, which holds the same intents (their keys derive from the order id). A new sale does not
      // look first: the lookup is paid only when the save failed, even when the replay's cart would not price now.
      if (isUniqueViolation(err, 'orders_pkey') || err instanceof AppError) {
        const first = await tenantTx(deps.db, ctx, async (tx) => {
          const existing = await repo.findOrder(tx, id);
          return existing === undefined ? undefined : toOrderDto(tx, existing);
        });
        if (first !== undefined) return { order: first, replayed: true };
      }
      throw err;
    }
  };
  if (!hasCards(tenders)) return save(NO_CARDS);

  const payments = cardPayments(deps);
  // Nothing is charged for an order that would be refused: price and check every tender first.
  const prepared = await tenantTx(deps.db, ctx, async (tx) => {
    const existing = await repo.findOrder(tx, id);
    if (existing !== undefined) return { replay: await toOrderDto(tx, existing) };
    const { register, cart } = await priceNewOrder(tx, deps, ctx, input, explicitTaxBps, replay);
    settle(cart.totals.total_cents, tenders, {
      cashRoundingCents: cart.settings.cash_rounding_cents ?? undefined,
      rounding: cart.settings.money_rounding,
    });
    // Nor is a card charged for a sale the stock will refuse (checked again, under locks, when stock moves).
    if (cart.settings.stock_policy === 'block' && override === undefined && replay?.allowBeyondStock !== true) {
      await refuseShortStockBeforeCards(tx, ctx, register.location_id, pricedLines(cart));
    }
    return { currency: cart.settings.currency };
  });
  if (prepared.replay !== undefined) return { order: prepared.replay, replayed: true };

  let cards: CardAuthorizations;
  try {
    cards = await authorizeCards(payments, ctx, {
      orderId: id,
      currency: prepared.currency,
      firstPosition: 0,
      tenders,
    });
  } catch (err) {
    // A concurrent copy of this sale saved and captured it between our look and our authorization (the card's
    // intent, shared through its key, is settled already): answer the order it saved.
    const first =
      err instanceof AppError && err.code === 'invalid_state_transition'
        ? await tenantTx(deps.db, ctx, async (tx) => {
            const existing = await repo.findOrder(tx, id);
            return existing === undefined ? undefined : toOrderDto(tx, existing);
          })
        : undefined;
    if (first !== undefined) return { order: first, replayed: true };
    throw err;
  }
  let result: { order: OrderDto; replayed: boolean };
  try {
    result = await save(cards);
  } catch (err) {
    await voidCards(payments, ctx, cards.authorized);
    throw err;
  }
  // A concurrent copy of this request saved the order first: it captures, not this one.
  if (result.replayed) return result;
  await captureCards(payments, ctx, cards.authorized);
  if (cards.declined !== undefined) throw declinedError(cards.declined.reason, id);
  return result;
}

/**
 * One attempt to save (and, when paid, complete) a new order in one transaction. An order with this id already
 * saved makes the insert fail (orders_pkey): `createOrder` answers it as a replay.
 */
function saveNewOrder(
  deps: OrdersDeps,
  ctx: RequestContext,
  input: CreateOrderInput,
  explicitTaxBps: number | undefined,
  attempt: {
    id: string;
    cards: CardAuthorizations;
    override: StockOverride | undefined;
    replay: ReplayPlan | undefined;
  },
): Promise<{ order: OrderDto; replayed: boolean }> {
  const { id, cards, replay } = attempt;
  return tenantTx(deps.db, ctx, async (tx) => {
    const { register, cart } = await priceNewOrder(tx, deps, ctx, input, explicitTaxBps, replay);
    const options = {
      cashRoundingCents: cart.settings.cash_rounding_cents ?? undefined,
      rounding: cart.settings.money_rounding,
    };
    const tenders = keptTenders(input.tenders ?? [], cards);
    const due = cart.totals.total_cents;
    let settlement: Settlement | undefined;
    if (cards.declined !== undefined) {
      settlement = settleAny(
        due,
        tenders.map((k) => k.tender),
        options,
      );
      // The other tenders cover it alone (cash over-tendered): nothing to keep open; the cashier decides again.
      if (settlement.settled) throw declinedError(cards.declined.reason, undefined);
    } else if (tenders.length > 0 || (input.tenders !== undefined && due === 0)) {
      // An empty tender list completes a sale that costs nothing (a 100 % discount): there is nothing to pay. Without
      // `tenders` at all, an order is parked, whatever its total.
      settlement = settle(
        due,
        tenders.map((k) => k.tender),
        options,
      );
    }
    const { order, lines } = newOrderRecord(cart, {
      id,
      register,
      discountBp: input.discount_percent_bp ?? 0,
      note: input.note ?? null,
      settlement,
      declined: cards.declined !== undefined,
      createdBy: ctx.actorId ?? null,
    });
    const tenderInputs = settlement === undefined ? [] : tenderRows(settlement, tenders, cards);
    const saved = await insertNewOrder(tx, ctx, order, lines, tenderInputs);
    await auditExplicitTaxRate(tx, { ...ctx, registerId: register.id }, { orderId: id, resolved: cart.taxRate });
    await linkIntentsToOrder(tx, cards.intentIds, id);
    const number = saved.order.number;
    // A manager allowed this replayed sale beyond stock (its goods left the shop while the till was offline).
    const policy = replay?.allowBeyondStock === true ? 'allow_negative' : cart.settings.stock_policy;
    if (settlement !== undefined && number !== null) {
      await recordCompletion(tx, ctx, order, number, lines, settlement, policy, attempt.override);
    } else if (settlement !== undefined && cards.declined !== undefined) {
      await recordPartPayment(tx, ctx, order, settlement, cards.declined.reason);
    }
    const row = replay === undefined ? saved.order : await recordReplayedSale(tx, ctx, saved.order, replay);
    return { order: orderDto(row, saved.lines, saved.tenders), replayed: false };
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

import { createHash } from 'node:crypto';
import {
  largestDiscountBp,
  offlineSigningPayload,
  replayDiff,
  resolutionSettles,
  type ReplayDiff,
} from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { getStockLevels } from '../inventory/index.ts';
import { deviceSigned, findActiveDevice, requireDiscountAllowed, requireReplayApproval } from '../pos/index.ts';
import { explicitTaxRateFrom } from '../tax/index.ts';
import { findTillRegister, getOfflineCardPolicy } from '../tenancy/index.ts';
import { toOrderDto } from './orders.dto.ts';
import type { PlaceOrderDeps } from './orders.deps.ts';
import { priceCart, pricedLines } from './orders.pricing.ts';
import { OfflineSaleTaken, type ReplayPlan } from './orders.replay.ts';
import * as repo from './orders.repo.ts';
import type { CreateOrderInput, OrderDto, ReplayResolutionRecord, TenderBodyInput } from './orders.schemas.ts';
import { diffDto } from './replay-diff.schema.ts';
import { createOrder, type RequestHeaders } from './orders.service.ts';
import {
  findOfflineSale,
  offlineCardCentsSince,
  saveOfflineSale,
  type OfflineSaleFacts,
} from './offline-sales.repo.ts';
import { pricingCacheFor } from './pricing-cache.ts';

/** A sale the till queued offline: an order body with its `offline` block. */
export type OfflineOrderInput = CreateOrderInput & { readonly offline: NonNullable<CreateOrderInput['offline']> };

/** SHA-256 (hex) of the sale's signing payload: what recognises the same sale under another client id. */
export function saleContentHash(payload: string): string {
  return createHash('sha256').update(payload, 'utf8').digest('hex');
}

/** An audit event in a transaction of its own: a refusal is recorded even though the request fails. */
function auditAlone(deps: PlaceOrderDeps, ctx: RequestContext, entry: Parameters<typeof recordAudit>[2]) {
  return tenantTx(deps.db, ctx, (tx) => recordAudit(tx, ctx, entry));
}

/**
 * Who sent this sale, and is it the same sale as before? The device must be an active device of the sale's
 * register (else 404 `device_not_found`) and its signature must verify over `offlineSigningPayload(body)` (else
 * 422 `offline_signature_invalid`, audited `order.offline_sale_forged`). Then its number in the device's sequence:
 * new → admitted; the same content already accepted → the first order (whatever client id it came under); the
 * same content refused → admitted again, under the client id it was refused with (a retry, or a resolution);
 * cancelled at the till → 409 `offline_sale_cancelled`; a different sale under a used number → 409
 * `offline_seq_reused`, audited.
 */
export async function admitOfflineSale(
  deps: PlaceOrderDeps,
  ctx: RequestContext,
  input: OfflineOrderInput,
): Promise<{ first: OrderDto } | { sale: OfflineSaleFacts }> {
  const payload = offlineSigningPayload(input);
  const hash = saleContentHash(payload);
  const at: RequestContext = { ...ctx, registerId: input.register_id };
  const verdict = await tenantTx(deps.db, at, (tx) => judgeOfflineSale(tx, input, payload, hash));
  if ('first' in verdict) return verdict;
  if ('admitted' in verdict) return { sale: admittedSale(input, hash, verdict.admitted) };
  return refuse(deps, ctx, input, hash, verdict.refused);
}

type Verdict =
  { first: OrderDto } | { admitted: string | undefined } | { refused: 'device' | 'signature' | 'seq' | 'cancelled' };

/** The device, the signature and the sequence, read in the caller's transaction (see `admitOfflineSale`). */
async function judgeOfflineSale(tx: Tx, input: OfflineOrderInput, payload: string, hash: string): Promise<Verdict> {
  const { offline } = input;
  const device = await findActiveDevice(tx, offline.device_id);
  if (device === undefined || device.register_id !== input.register_id) return { refused: 'device' };
  if (!deviceSigned(device, payload, offline.signature)) return { refused: 'signature' };
  const known = await findOfflineSale(tx, offline.device_id, offline.seq);
  // A number written off as lost whose sale turns up after all: it is admitted as new, and takes the row.
  if (known === undefined || known.status === 'written_off') return { admitted: input.id };
  if (known.content_hash !== hash || known.order_id === null) return { refused: 'seq' };
  if (known.status === 'cancelled') return { refused: 'cancelled' };
  if (known.status === 'refused') return { admitted: known.order_id };
  const order = await repo.findOrder(tx, known.order_id);
  return order === undefined ? { admitted: known.order_id } : { first: await toOrderDto(tx, order) };
}

/** The facts of an admitted sale, under the client id it is (or was first) known by. */
function admittedSale(input: OfflineOrderInput, hash: string, orderId: string | undefined): OfflineSaleFacts {
  return {
    register_id: input.register_id,
    device_id: input.offline.device_id,
    seq: input.offline.seq,
    order_id: orderId ?? newId(),
    content_hash: hash,
    created_offline_at: input.offline.created_at,
    total_cents: input.price_lock?.total_cents ?? null,
  };
}

/** Audits a refused admission (each in a transaction of its own) and throws its problem. */
async function refuse(
  deps: PlaceOrderDeps,
  ctx: RequestContext,
  input: OfflineOrderInput,
  hash: string,
  refused: Extract<Verdict, { refused: unknown }>['refused'],
): Promise<never> {
  const at: RequestContext = { ...ctx, registerId: input.register_id };
  const { offline } = input;
  const facts = { device_id: offline.device_id, seq: offline.seq, content_hash: hash, client_id: input.id ?? null };
  switch (refused) {
    case 'device':
      // On the tenant's chain: the register named may not be this tenant's.
      await auditAlone(
        deps,
        { ...ctx, registerId: undefined },
        {
          action: 'order.offline_sale_forged',
          entityType: 'register',
          entityId: input.register_id,
          data: { ...facts, reason: 'unknown_device' },
        },
      );
      throw new AppError('device_not_found', 'No active device of this register has this id');
    case 'signature':
      await auditAlone(deps, at, {
        action: 'order.offline_sale_forged',
        entityType: 'register',
        entityId: input.register_id,
        data: { ...facts, reason: 'bad_signature' },
      });
      throw new AppError(
        'offline_signature_invalid',
        'The sale is not signed by this device: it was altered or forged',
      );
    case 'seq':
      await auditAlone(deps, at, {
        action: 'order.offline_seq_reused',
        entityType: 'register',
        entityId: input.register_id,
        data: facts,
      });
      throw new AppError('offline_seq_reused', 'Another sale of this device already has this number');
    case 'cancelled':
      throw new AppError('offline_sale_cancelled', 'This sale was cancelled at the till');
  }
}

/** What the server holds now about a replayed sale, compared with its price lock. */
interface ReplayCheck {
  readonly diff: ReplayDiff;
  readonly serverTotalCents: number;
}

/** The price lock must describe this very sale: one line per item, of the same variant. */
function checkPriceLock(input: OfflineOrderInput, variantIds: readonly string[]): void {
  const lock = input.price_lock;
  if (lock === undefined) return;
  if (lock.lines.length !== input.items.length) {
    throw invalidField('price_lock.lines', 'must have one line per item, in the order of items');
  }
  lock.lines.forEach((line, i) => {
    if (line.variant_id.toLowerCase() !== variantIds[i]?.toLowerCase()) {
      throw invalidField(`price_lock.lines[${i}].variant_id`, `is not the variant of items[${i}]`);
    }
  });
}

/** Whether the sale's discounts need an approval it does not carry (the largest discount, and the limit). */
async function discountOverLimit(
  deps: PlaceOrderDeps,
  ctx: RequestContext,
  input: OfflineOrderInput,
  orderId: string,
): Promise<{ discount_bp: number; limit_bp: number } | undefined> {
  const lineBps = input.items.map((item) => item.discount_percent_bp);
  try {
    await requireDiscountAllowed(deps, ctx, {
      line_discount_bps: lineBps,
      order_discount_bp: input.discount_percent_bp ?? 0,
      order_id: orderId,
      register_id: input.register_id,
      approval: input.discount_approval,
    });
    return undefined;
  } catch (err) {
    if (!(err instanceof AppError) || (err.code !== 'discount_approval_required' && err.code !== 'invalid_approval')) {
      throw err;
    }
    return {
      discount_bp: largestDiscountBp(
        lineBps.map((bp) => bp ?? 0),
        input.discount_percent_bp ?? 0,
      ),
      limit_bp: deps.config.pos.cashierDiscountLimitBp,
    };
  }
}

/**
 * The replay diff of a sale (domain `replayDiff`): its price lock against the catalog's prices, the register's
 * tax rate, archived products, stock at the register's location when the shop blocks selling beyond it, the
 * register itself (archived since), and the cashier's discount limit. Reads only.
 */
async function checkReplay(
  tx: Tx,
  deps: PlaceOrderDeps,
  ctx: RequestContext,
  input: OfflineOrderInput,
  explicitTaxBps: number | undefined,
  overLimit: { discount_bp: number; limit_bp: number } | undefined,
): Promise<ReplayCheck> {
  const register = await findTillRegister(tx, input.register_id);
  if (register === undefined || (ctx.locationIds.length > 0 && !ctx.locationIds.includes(register.location_id))) {
    throw new AppError('register_not_found', 'No register has this id');
  }
  const cart = await priceCart(
    tx,
    ctx,
    {
      items: input.items,
      discountBp: input.discount_percent_bp ?? 0,
      explicitTaxBps,
      registerId: register.register_id,
      locationId: register.location_id,
      defaultTaxBps: deps.config.defaultTaxRateBps,
      defaultRounding: deps.config.moneyRounding,
      refuseArchived: false,
    },
    pricingCacheFor(deps.db),
  );
  checkPriceLock(
    input,
    cart.items.map((item) => item.variant_id),
  );
  const lines = pricedLines(cart).map((line, i) => ({
    position: i,
    variant_id: line.variant_id,
    sku: line.sku,
    name: line.name,
    quantity: line.quantity,
    current_unit_price_cents: line.unit_price_cents,
    archived: cart.items[i]?.archived ?? false,
  }));
  const stock =
    cart.settings.stock_policy === 'block'
      ? (
          await getStockLevels(tx, ctx, {
            locationId: register.location_id,
            variantIds: [...new Set(lines.map((l) => l.variant_id))],
          })
        ).map((level) => ({ variant_id: level.variantId, location_id: level.locationId, available: level.onHand }))
      : undefined;
  // A variant never stocked here has no level row: it is short at this location with 0 available.
  const stockAt = stock?.concat(
    lines
      .filter((l) => !stock.some((s) => s.variant_id === l.variant_id))
      .map((l) => ({ variant_id: l.variant_id, location_id: register.location_id, available: 0 })),
  );
  const diff = replayDiff({
    price_lock: input.price_lock,
    lines,
    current_tax_rate_bps: cart.taxRate.rate_bps,
    current_total_cents: cart.totals.total_cents,
    register: { id: register.register_id, archived: register.archived },
    discount_over_limit: overLimit,
    stock: stockAt,
  });
  return { diff, serverTotalCents: cart.totals.total_cents };
}

/** Records a refused offline sale (it appears on "Sales needing attention") and audits it, in its own transaction. */
async function recordRefusal(
  deps: PlaceOrderDeps,
  ctx: RequestContext,
  sale: OfflineSaleFacts,
  code: string,
  diff: ReplayDiff | null,
): Promise<void> {
  const at: RequestContext = { ...ctx, registerId: sale.register_id };
  await tenantTx(deps.db, at, async (tx) => {
    const written = await saveOfflineSale(tx, at, sale, {
      status: 'refused',
      code,
      diff: diff === null ? null : diffDto(diff),
      resolution: null,
    });
    if (!written) return;
    await recordAudit(tx, at, {
      action: 'order.replay_refused',
      entityType: 'order',
      entityId: sale.order_id,
      data: { device_id: sale.device_id, seq: sale.seq, code, diff },
    });
  });
}

function conflict(diff: ReplayDiff, detail: string): AppError {
  return new AppError('replay_conflict', detail, { extra: { diff } });
}

/**
 * Cards while offline (docs/pos.md "Cards while offline"): a processor card (`card`) cannot have been charged
 * offline; an external terminal's card is accepted (the customer was charged) and marked for review, noting
 * whether it was within the tenant's policy (mode, per-sale and per-outage caps).
 */
async function offlineCards(
  tx: Tx,
  ctx: RequestContext,
  input: OfflineOrderInput,
): Promise<{ review: boolean; withinPolicy: boolean }> {
  const tenders = input.tenders ?? [];
  if (tenders.some((t) => t.method === 'card')) {
    throw new AppError('offline_card_not_allowed', 'A card cannot be charged through the processor offline');
  }
  const cardCents = tenders.filter((t) => t.method === 'external_card').reduce((sum, t) => sum + t.amount_cents, 0);
  if (cardCents === 0) return { review: false, withinPolicy: true };
  const policy = await getOfflineCardPolicy(tx, ctx);
  // The outage is the run of offline sales this device took before reconnecting: counted from 12 hours before
  // this sale, a bound on one outage that keeps the sum cheap.
  const since = new Date(Date.parse(input.offline.created_at) - 12 * 3600_000).toISOString();
  const outage = (await offlineCardCentsSince(tx, input.offline.device_id, since)) + cardCents;
  const withinPolicy =
    policy.mode === 'external_terminal' && cardCents <= policy.max_sale_cents && outage <= policy.max_outage_cents;
  return { review: true, withinPolicy };
}

/**
 * Places a sale a till took offline (POST /v1/orders with `offline`; docs/pos.md "Replay"): admitted by its
 * device's signature and sequence number (`admitOfflineSale`), checked against what the server holds now
 * (`checkReplay`); with no difference it is created as any sale, keeping the till's time; with differences and
 * no resolution it is refused, 409 `replay_conflict` with the diff, and stays on "Sales needing attention" until a
 * person resolves it. A resolution must settle every change (`resolutionSettles`) and carry a manager's approval
 * where it overrides money or stock rules. Any other refusal of an admitted sale is recorded the same way.
 */
export async function placeOfflineOrder(
  deps: PlaceOrderDeps,
  ctx: RequestContext,
  input: OfflineOrderInput,
  headers: RequestHeaders,
  attempt = 0,
): Promise<{ order: OrderDto; replayed: boolean }> {
  const payload = offlineSigningPayload(input);
  const hash = saleContentHash(payload);
  const at: RequestContext = { ...ctx, registerId: input.register_id };
  // Admission and the check against what the server holds now read in one transaction; the sale is saved in
  // `createOrder`'s own. A refusal of the check is answered as a value, so the reads are not rolled back for it.
  type Step =
    | Exclude<Verdict, { admitted: unknown }>
    | { sale: OfflineSaleFacts; plan: Awaited<ReturnType<typeof planReplay>> }
    | { sale: OfflineSaleFacts; error: AppError };
  const step = await tenantTx(deps.db, at, async (tx): Promise<Step> => {
    const verdict = await judgeOfflineSale(tx, input, payload, hash);
    if (!('admitted' in verdict)) return verdict;
    const sale = admittedSale(input, hash, verdict.admitted);
    try {
      return { sale, plan: await planReplay(tx, deps, ctx, { ...input, id: sale.order_id }, sale, headers) };
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return { sale, error: err };
      throw err;
    }
  });
  if ('first' in step) return { order: step.first, replayed: true };
  if ('refused' in step) return refuse(deps, ctx, input, hash, step.refused);
  const { sale } = step;
  try {
    if ('error' in step) throw step.error;
    const { plan } = step;
    const sold: OfflineOrderInput = { ...input, id: sale.order_id };
    return await createOrder(
      deps,
      ctx,
      { ...sold, tenders: [...(sold.tenders ?? []), ...plan.extraTenders] },
      plan.explicitTaxBps,
      plan,
    );
  } catch (err) {
    // A copy of this sale (another tab, another client id) was saved first: answer its order.
    if (
      (err instanceof OfflineSaleTaken || isUniqueViolation(err, 'offline_sales_tenant_id_device_id_seq_key')) &&
      attempt === 0
    ) {
      return placeOfflineOrder(deps, ctx, input, headers, 1);
    }
    if (err instanceof AppError && err.status < 500 && err.code !== 'payment_declined') {
      const diff = err.code === 'replay_conflict' ? ((err.extra?.diff as ReplayDiff | undefined) ?? null) : null;
      await recordRefusal(deps, ctx, sale, err.code, diff);
    }
    throw err;
  }
}

/** How the sale will be created: prices, tax, tenders, stock and what the order records of a resolution. */
async function planReplay(
  tx: Tx,
  deps: PlaceOrderDeps,
  ctx: RequestContext,
  input: OfflineOrderInput,
  sale: OfflineSaleFacts,
  headers: RequestHeaders,
): Promise<ReplayPlan & { explicitTaxBps: number | undefined }> {
  const orderId = sale.order_id;
  const explicitTaxBps = explicitTaxRateFrom({ bodyBps: input.tax_rate_bps, headers, roles: ctx.roles });
  const overLimit = await discountOverLimit(deps, ctx, input, orderId);
  const check = await checkReplay(tx, deps, ctx, input, explicitTaxBps, overLimit);
  const cards = await offlineCards(tx, ctx, input);
  const base = {
    sale,
    unitPrices: undefined,
    extraTenders: [] as TenderBodyInput[],
    allowBeyondStock: false,
    resolution: null,
    cardReview: cards.review,
    cardWithinPolicy: cards.withinPolicy,
    explicitTaxBps,
  };
  const resolution = input.replay_resolution;
  if (check.diff.changes.length === 0) return base;
  if (resolution === undefined) {
    throw conflict(check.diff, 'The sale differs from what the server holds now: a person must resolve it');
  }
  const expected = { register_id: input.register_id, order_id: orderId };
  const stockApproval =
    resolution.kind !== 'sell_beyond_stock' && resolution.stock_approval !== undefined
      ? await requireReplayApproval(deps, ctx, resolution.stock_approval, { ...expected, kind: 'sell_beyond_stock' })
      : undefined;
  if (!resolutionSettles(check.diff, resolution.kind, stockApproval !== undefined)) {
    throw conflict(check.diff, `Resolving by ${resolution.kind} does not settle every change of this sale`);
  }
  const approval =
    resolution.kind === 'accept_server_prices'
      ? undefined
      : await requireReplayApproval(deps, ctx, resolution.approval, { ...expected, kind: resolution.kind });
  const record: ReplayResolutionRecord = {
    kind: resolution.kind,
    manager_id: approval?.manager_id ?? stockApproval?.manager_id ?? null,
    approval_id: approval?.approval_id ?? null,
    stock_approval_id: stockApproval?.approval_id ?? null,
    till_total_cents: input.price_lock?.total_cents ?? null,
    server_total_cents: check.serverTotalCents,
    diff: diffDto(check.diff),
  };
  const keep = resolution.kind === 'keep_till_prices';
  if (keep && input.price_lock === undefined) {
    throw invalidField('replay_resolution.kind', 'keep_till_prices needs the price_lock the till showed');
  }
  return {
    ...base,
    unitPrices: keep ? input.price_lock?.lines.map((l) => l.unit_price_cents) : undefined,
    // The till's tax rate is part of its price lock: kept with its prices.
    explicitTaxBps: keep ? input.price_lock?.tax_rate_bps : explicitTaxBps,
    extraTenders: resolution.tenders ?? [],
    allowBeyondStock: resolution.kind === 'sell_beyond_stock' || stockApproval !== undefined,
    resolution: record,
  };
}

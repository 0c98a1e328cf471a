import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { findTillRegister, getTenantMoneySettings } from '../tenancy/index.ts';
import type { PlaceOrderDeps } from './orders.deps.ts';
import { admitOfflineSale, type OfflineOrderInput } from './orders.offline.ts';
import {
  deviceSequence,
  findGaps,
  findOfflineSale,
  findRefused,
  findReview,
  markCardReviewed,
  saveOfflineSale,
  writeOffNumbers,
} from './offline-sales.repo.ts';
import { findOrder } from './orders.repo.ts';
import { orderNotFound } from './orders.service.ts';
import type { AttentionDto, CancelOfflineSaleInput, WriteOffGapInput } from './replay.schemas.ts';

/**
 * "Sales needing attention" (GET /v1/pos/attention, the back office's page): numbers of a device's sequence that
 * never arrived, offline sales refused and not yet resolved (with their diff), and external-terminal cards taken
 * offline awaiting review. A user with a location scope sees only the registers of their locations.
 */
export function attention(db: Database, ctx: RequestContext): Promise<AttentionDto> {
  return tenantTx(db, ctx, async (tx) => {
    const [gaps, refused, review] = [await findGaps(tx), await findRefused(tx), await findReview(tx)];
    // The rounding mode is not used here: only the currency of the amounts.
    const { currency } = await getTenantMoneySettings(tx, ctx, 'half_up');
    const visible = (locationId: string) => ctx.locationIds.length === 0 || ctx.locationIds.includes(locationId);
    return {
      currency,
      gaps: gaps
        .filter((g) => visible(g.location_id))
        .map((g) => ({
          register_id: g.register_id,
          register_name: g.register_name,
          device_id: g.device_id,
          device_label: g.device_label,
          from_seq: g.from_seq,
          to_seq: g.to_seq,
          detected_at: g.detected_at.toISOString(),
        })),
      refused: refused
        .filter((r) => visible(r.location_id))
        .map((r) => ({
          order_id: r.order_id,
          register_id: r.register_id,
          register_name: r.register_name,
          device_id: r.device_id,
          device_label: r.device_label,
          seq: r.seq,
          code: r.code ?? 'refused',
          diff: r.diff,
          total_cents: r.total_cents,
          created_offline_at: r.created_offline_at.toISOString(),
          refused_at: r.received_at.toISOString(),
        })),
      review: review
        .filter((r) => visible(r.location_id))
        .map((r) => ({
          order_id: r.order_id,
          number: r.number,
          register_id: r.register_id,
          register_name: r.register_name,
          total_cents: r.total_cents,
          card_cents: r.card_cents,
          created_offline_at: r.created_offline_at?.toISOString() ?? null,
          created_at: r.created_at.toISOString(),
        })),
    };
  });
}

/**
 * Cancels a sale taken offline that the server refused (or never received), with what was handed back to the
 * customer: the till sends the queued sale itself, so its device's signature proves which sale it is. The sale's
 * number then counts as resolved (no gap, no refused sale). Audited `order.offline_sale_cancelled` with the
 * reason and refunds. An accepted sale is not cancelled here (409 `offline_sale_accepted`: void its order).
 */
export async function cancelOfflineSale(
  deps: PlaceOrderDeps,
  ctx: RequestContext,
  id: string,
  input: CancelOfflineSaleInput,
) {
  if (input.sale.offline === undefined)
    throw invalidField('sale.offline', 'is required: only a sale queued offline is cancelled here');
  const sale = input.sale as OfflineOrderInput;
  if (sale.id !== undefined && sale.id.toLowerCase() !== id.toLowerCase()) {
    throw invalidField('sale.id', 'is not the sale of this URL');
  }
  const paid = (sale.tenders ?? []).reduce((sum, t) => sum + t.amount_cents, 0);
  const refunded = input.refunds.reduce((sum, r) => sum + r.amount_cents, 0);
  if (refunded > paid) {
    throw new AppError('invalid_refund', `The refunds (${refunded}) exceed what the sale took (${paid})`);
  }
  const admitted = await admitOfflineSale(deps, ctx, { ...sale, id });
  if ('first' in admitted) {
    throw new AppError('offline_sale_accepted', 'The server accepted this sale: void its order instead', {
      extra: { order_id: admitted.first.id },
    });
  }
  const at: RequestContext = { ...ctx, registerId: sale.register_id };
  return tenantTx(deps.db, at, async (tx) => {
    const facts = { ...admitted.sale, total_cents: sale.price_lock?.total_cents ?? null };
    const resolution = {
      kind: 'cancelled',
      reason: input.reason,
      refunds: input.refunds,
      cancelled_by: ctx.actorId ?? null,
    };
    const written = await saveOfflineSale(tx, at, facts, { status: 'cancelled', code: null, diff: null, resolution });
    if (!written) throw new AppError('offline_sale_accepted', 'The server accepted this sale: void its order instead');
    await recordAudit(tx, at, {
      action: 'order.offline_sale_cancelled',
      entityType: 'order',
      entityId: facts.order_id,
      data: {
        device_id: facts.device_id,
        seq: facts.seq,
        reason: input.reason,
        refunds: input.refunds,
        refunded_cents: refunded,
      },
    });
    const row = await findOfflineSale(tx, facts.device_id, facts.seq);
    return {
      id: facts.order_id,
      status: 'cancelled' as const,
      device_id: facts.device_id,
      seq: facts.seq,
      refunded_cents: refunded,
      resolved_at: (row?.resolved_at ?? new Date()).toISOString(),
    };
  });
}

/** The largest run of numbers written off in one call. */
const WRITE_OFF_MAX = 10_000;

/**
 * A manager writes off numbers of a device's gap whose sales will never arrive (the till's storage was lost or
 * reset before it sent them): the gap leaves "Sales needing attention" and the metric. Only numbers below the
 * highest received can be written off; those that arrived meanwhile are left alone, and a written-off sale that
 * turns up after all is accepted as any other. Audited `order.offline_gap_written_off` with the reason.
 */
export function writeOffGap(db: Database, ctx: RequestContext, input: WriteOffGapInput) {
  if (input.to_seq < input.from_seq) throw invalidField('to_seq', 'must not be below from_seq');
  if (input.to_seq - input.from_seq >= WRITE_OFF_MAX) {
    throw invalidField('to_seq', `writes off at most ${WRITE_OFF_MAX} numbers at once`);
  }
  return tenantTx(db, ctx, async (tx) => {
    const sequence = await deviceSequence(tx, input.device_id);
    const register = sequence === undefined ? undefined : await findTillRegister(tx, sequence.register_id);
    if (
      sequence === undefined ||
      register === undefined ||
      (ctx.locationIds.length > 0 && !ctx.locationIds.includes(register.location_id))
    ) {
      throw new AppError('device_not_found', 'No sale of this device has arrived');
    }
    if (input.to_seq >= sequence.highest) {
      throw invalidField('to_seq', `must be below the highest number received (${sequence.highest})`);
    }
    const at: RequestContext = { ...ctx, registerId: sequence.register_id };
    const count = await writeOffNumbers(tx, at, {
      register_id: sequence.register_id,
      device_id: input.device_id,
      from: input.from_seq,
      to: input.to_seq,
      reason: input.reason,
    });
    await recordAudit(tx, at, {
      action: 'order.offline_gap_written_off',
      entityType: 'register',
      entityId: sequence.register_id,
      data: { device_id: input.device_id, from_seq: input.from_seq, to_seq: input.to_seq, count, reason: input.reason },
    });
    return { device_id: input.device_id, from_seq: input.from_seq, to_seq: input.to_seq, written_off: count };
  });
}

/** A manager checked an offline card sale against the terminal's report: it leaves the review list (audited). */
export function markOfflineCardReviewed(db: Database, ctx: RequestContext, orderId: string) {
  return tenantTx(db, ctx, async (tx) => {
    const order = await findOrder(tx, orderId);
    if (order === undefined || (ctx.locationIds.length > 0 && !ctx.locationIds.includes(order.location_id))) {
      throw orderNotFound();
    }
    if (!(await markCardReviewed(tx, ctx, orderId))) {
      throw new AppError('order_not_found', 'No offline card sale awaiting review has this id');
    }
    await recordAudit(
      tx,
      { ...ctx, registerId: order.register_id },
      {
        action: 'order.offline_card_reviewed',
        entityType: 'order',
        entityId: orderId,
        data: {},
      },
    );
    return { order_id: orderId, reviewed_at: new Date().toISOString() };
  });
}

import type { RequestContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { recordAudit } from '../audit/index.ts';
import { orderContext } from './orders.complete.ts';
import type { OrderRow } from './orders.repo.ts';
import type { ReplayResolutionRecord, TenderBodyInput } from './orders.schemas.ts';
import { markOrderOffline, saveOfflineSale, type OfflineSaleFacts } from './offline-sales.repo.ts';

/**
 * How `createOrder` saves a sale a till took offline, once admitted (signature verified, sequence checked) and
 * checked against what the server holds now (orders.offline.ts): at the till's prices when a manager kept them,
 * beyond stock when a manager allowed it, with the tenders a resolution added. Recorded on the order and in
 * `offline_sales` in the order's own transaction.
 */
export interface ReplayPlan {
  readonly sale: OfflineSaleFacts;
  /** keep_till_prices: each line's unit price as the till's price lock has it. */
  readonly unitPrices: readonly number[] | undefined;
  readonly extraTenders: readonly TenderBodyInput[];
  readonly allowBeyondStock: boolean;
  readonly resolution: ReplayResolutionRecord | null;
  /** An external-terminal card was taken while offline: the order is marked for review. */
  readonly cardReview: boolean;
  /** Whether that card was within the tenant's offline card policy (mode and caps), for the audit. */
  readonly cardWithinPolicy: boolean;
}

/** The offline sale's row was taken by a concurrent copy of the same sale: it is answered as a replay. */
export class OfflineSaleTaken extends Error {
  constructor() {
    super('offline sale recorded by a concurrent request');
    this.name = 'OfflineSaleTaken';
  }
}

/** Writes what a replayed sale's order keeps (the till's time, its resolution, the review mark) and its audit. */
export async function recordReplayedSale(
  tx: Tx,
  ctx: RequestContext,
  order: OrderRow,
  plan: ReplayPlan,
): Promise<OrderRow> {
  const written = await saveOfflineSale(
    tx,
    ctx,
    { ...plan.sale, total_cents: order.total_cents },
    { status: 'accepted', code: null, diff: plan.resolution?.diff ?? null, resolution: plan.resolution },
  );
  if (!written) throw new OfflineSaleTaken();
  const { created_offline_at } = await markOrderOffline(tx, order.id, {
    created_offline_at: plan.sale.created_offline_at,
    resolution: plan.resolution,
    card_review: plan.cardReview,
  });
  const at = orderContext(ctx, order);
  const facts = {
    device_id: plan.sale.device_id,
    seq: plan.sale.seq,
    created_offline_at: plan.sale.created_offline_at,
  };
  if (plan.resolution !== null) {
    await recordAudit(tx, at, {
      action: 'order.replay_resolved',
      entityType: 'order',
      entityId: order.id,
      data: { ...facts, ...plan.resolution },
    });
  }
  if (plan.cardReview) {
    await recordAudit(tx, at, {
      action: 'order.offline_card_taken',
      entityType: 'order',
      entityId: order.id,
      data: { ...facts, within_policy: plan.cardWithinPolicy },
    });
  }
  return {
    ...order,
    created_offline_at,
    replay_resolution: plan.resolution,
    offline_card_review: plan.cardReview,
  };
}

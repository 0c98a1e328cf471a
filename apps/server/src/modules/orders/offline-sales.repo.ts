import { requireTenant, type RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import type { ReplayDiffDto } from './replay-diff.schema.ts';
import type { ReplayResolutionRecord } from './orders.schemas.ts';

// The orders module owns `offline_sales` (migration 0022) and the offline columns of `orders`; this file is the
// only SQL against them. The attention read also joins `registers` and `register_devices` for their names: a
// read model, like reports.

export type OfflineSaleStatus = 'accepted' | 'refused' | 'cancelled' | 'written_off';

/** An offline sale as the server received it, by (device, seq). */
export interface OfflineSaleRow {
  id: string;
  register_id: string;
  device_id: string;
  seq: number;
  /** Null only for a number written off (no sale arrived). */
  order_id: string | null;
  content_hash: string | null;
  status: OfflineSaleStatus;
  code: string | null;
  diff: ReplayDiffDto | null;
  total_cents: number | null;
  created_offline_at: Date | null;
  received_at: Date;
  resolved_at: Date | null;
  resolution: unknown;
}

export async function findOfflineSale(
  tx: Queryable,
  deviceId: string,
  seq: number,
  lock = false,
): Promise<OfflineSaleRow | undefined> {
  const { rows } = await tx.query<OfflineSaleRow>(
    `SELECT * FROM offline_sales WHERE device_id = $1 AND seq = $2${lock ? ' FOR UPDATE' : ''}`,
    [deviceId, seq],
  );
  return rows[0];
}

export interface OfflineSaleFacts {
  readonly register_id: string;
  readonly device_id: string;
  readonly seq: number;
  readonly order_id: string;
  readonly content_hash: string;
  readonly created_offline_at: string;
  readonly total_cents: number | null;
}

/**
 * Records an offline sale's outcome: a first arrival inserts the row, a later one (a refused sale resolved or
 * refused again, or a number written off that arrives after all) updates it; false when nothing was written (the
 * row is already accepted or cancelled, or holds another sale). Two copies of one new sale at once: the second waits for the first's commit, then writes
 * nothing; its caller rolls back and answers the first order.
 */
export async function saveOfflineSale(
  tx: Queryable,
  ctx: RequestContext,
  sale: OfflineSaleFacts,
  outcome: {
    status: OfflineSaleStatus;
    code: string | null;
    diff: ReplayDiffDto | null;
    resolution: unknown;
  },
): Promise<boolean> {
  const resolved = outcome.status !== 'refused';
  const { rowCount } = await tx.query(
    `INSERT INTO offline_sales (id, tenant_id, register_id, device_id, seq, order_id, content_hash, status, code, diff,
                                total_cents, created_offline_at, resolved_at, resolution)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $13 THEN now() END, $14)
     ON CONFLICT (tenant_id, device_id, seq) DO UPDATE
        SET status = EXCLUDED.status, code = EXCLUDED.code, diff = COALESCE(EXCLUDED.diff, offline_sales.diff),
            total_cents = EXCLUDED.total_cents, resolved_at = EXCLUDED.resolved_at,
            resolution = EXCLUDED.resolution, order_id = EXCLUDED.order_id,
            content_hash = EXCLUDED.content_hash, created_offline_at = EXCLUDED.created_offline_at
      WHERE (offline_sales.status = 'refused' AND offline_sales.content_hash = EXCLUDED.content_hash)
         OR offline_sales.status = 'written_off'
     RETURNING id`,
    [
      newId(),
      requireTenant(ctx),
      sale.register_id,
      sale.device_id,
      sale.seq,
      sale.order_id,
      sale.content_hash,
      outcome.status,
      outcome.code,
      outcome.diff === null ? null : JSON.stringify(outcome.diff),
      sale.total_cents,
      sale.created_offline_at,
      resolved,
      outcome.resolution === null ? null : JSON.stringify(outcome.resolution),
    ],
  );
  return rowCount === 1;
}

/** The till's time, the resolution and the review mark of a sale accepted from a till's offline queue. */
export async function markOrderOffline(
  tx: Queryable,
  orderId: string,
  facts: { created_offline_at: string; resolution: ReplayResolutionRecord | null; card_review: boolean },
): Promise<{ created_offline_at: Date }> {
  const { rows } = await tx.query<{ created_offline_at: Date }>(
    `UPDATE orders SET created_offline_at = $2, replay_resolution = $3, offline_card_review = $4
      WHERE id = $1 RETURNING created_offline_at`,
    [
      orderId,
      facts.created_offline_at,
      facts.resolution === null ? null : JSON.stringify(facts.resolution),
      facts.card_review,
    ],
  );
  return rows[0] as { created_offline_at: Date };
}

/** External-terminal card money taken offline on a device since `since` (the outage cap's running total). */
export async function offlineCardCentsSince(tx: Queryable, deviceId: string, since: string): Promise<number> {
  const { rows } = await tx.query<{ cents: number | null }>(
    `SELECT sum(t.applied_cents)::bigint AS cents
       FROM offline_sales s
       JOIN order_tenders t ON t.order_id = s.order_id AND t.method = 'external_card'
      WHERE s.device_id = $1 AND s.status = 'accepted' AND s.created_offline_at >= $2`,
    [deviceId, since],
  );
  return rows[0]?.cents ?? 0;
}

/** A gap in a device's sequence: numbers below the highest received that never arrived. */
export interface GapRow {
  register_id: string;
  location_id: string;
  register_name: string;
  device_id: string;
  device_label: string;
  from_seq: number;
  to_seq: number;
  detected_at: Date;
}

/**
 * Every gap of this tenant's devices, oldest first: for each received number, the missing run just below it
 * (down to the previous received number, or 1). `detected_at` is when the number above the gap arrived.
 */
export async function findGaps(tx: Queryable): Promise<GapRow[]> {
  const { rows } = await tx.query<GapRow>(
    `SELECT g.register_id, r.location_id, r.name AS register_name, g.device_id, d.label AS device_label,
            g.prev_seq + 1 AS from_seq, g.seq - 1 AS to_seq, g.received_at AS detected_at
       FROM (SELECT register_id, device_id, seq, received_at,
                    coalesce(lag(seq) OVER (PARTITION BY device_id ORDER BY seq), 0) AS prev_seq
               FROM offline_sales) g
       JOIN registers r ON r.id = g.register_id
       JOIN register_devices d ON d.id = g.device_id
      WHERE g.seq > g.prev_seq + 1
      ORDER BY g.received_at, g.device_id, g.seq`,
  );
  return rows;
}

/** A refused sale: one that arrived, so its client id, hash and till time are known. */
export interface RefusedRow extends Omit<OfflineSaleRow, 'order_id' | 'content_hash' | 'created_offline_at'> {
  order_id: string;
  content_hash: string;
  created_offline_at: Date;
  location_id: string;
  register_name: string;
  device_label: string;
}

/** Offline sales refused and not yet resolved, oldest first (at most 500: the page says when there are more). */
export async function findRefused(tx: Queryable): Promise<RefusedRow[]> {
  const { rows } = await tx.query<RefusedRow>(
    `SELECT s.*, r.location_id, r.name AS register_name, d.label AS device_label
       FROM offline_sales s
       JOIN registers r ON r.id = s.register_id
       JOIN register_devices d ON d.id = s.device_id
      WHERE s.status = 'refused'
      ORDER BY s.received_at, s.id
      LIMIT 500`,
  );
  return rows;
}

export interface ReviewRow {
  order_id: string;
  location_id: string;
  number: number | null;
  register_id: string;
  register_name: string;
  total_cents: number;
  card_cents: number;
  created_offline_at: Date | null;
  created_at: Date;
}

/**
 * Writes off the numbers `from`..`to` of a device that never arrived (a manager's decision: the sale is lost), so
 * the gap closes. Returns how many numbers were written off; numbers that did arrive are left alone.
 */
export async function writeOffNumbers(
  tx: Queryable,
  ctx: RequestContext,
  gap: { register_id: string; device_id: string; from: number; to: number; reason: string },
): Promise<number> {
  const { rowCount } = await tx.query(
    `INSERT INTO offline_sales (id, tenant_id, register_id, device_id, seq, status, code, resolved_at, resolution)
     SELECT gen_random_uuid(), $1, $2, $3, n, 'written_off', NULL, now(), jsonb_build_object('kind', 'written_off',
            'reason', $6::text, 'by', $7::uuid)
       FROM generate_series($4::int, $5::int) AS n
     ON CONFLICT (tenant_id, device_id, seq) DO NOTHING`,
    [requireTenant(ctx), gap.register_id, gap.device_id, gap.from, gap.to, gap.reason, ctx.actorId ?? null],
  );
  return rowCount ?? 0;
}

/** A device's register and the highest number its sales reached; undefined when none of its sales arrived. */
export async function deviceSequence(
  tx: Queryable,
  deviceId: string,
): Promise<{ register_id: string; highest: number } | undefined> {
  const { rows } = await tx.query<{ register_id: string; highest: number }>(
    `SELECT register_id, max(seq) AS highest FROM offline_sales WHERE device_id = $1 GROUP BY register_id
      ORDER BY highest DESC LIMIT 1`,
    [deviceId],
  );
  return rows[0];
}

/** Marks an offline card sale as checked against the terminal's report; false when it awaits no review. */
export async function markCardReviewed(tx: Queryable, ctx: RequestContext, orderId: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE orders SET offline_card_reviewed_at = now(), offline_card_reviewed_by = $2
      WHERE id = $1 AND offline_card_review AND offline_card_reviewed_at IS NULL`,
    [orderId, ctx.actorId ?? null],
  );
  return rowCount === 1;
}

/** Orders with external-terminal cards taken offline, marked for review and not yet checked (newest 500). */
export async function findReview(tx: Queryable): Promise<ReviewRow[]> {
  const { rows } = await tx.query<ReviewRow>(
    `SELECT o.id AS order_id, o.location_id, o.number, o.register_id, r.name AS register_name, o.total_cents,
            (SELECT coalesce(sum(t.applied_cents), 0)::bigint FROM order_tenders t
              WHERE t.order_id = o.id AND t.method = 'external_card') AS card_cents,
            o.created_offline_at, o.created_at
       FROM orders o JOIN registers r ON r.id = o.register_id
      WHERE o.offline_card_review AND o.offline_card_reviewed_at IS NULL
      ORDER BY o.created_at DESC, o.id
      LIMIT 500`,
  );
  return rows;
}

/**
 * Across every tenant (the system pool: the gauge is the platform's): offline sales that never arrived (the
 * numbers missing below each device's highest) and sales refused and not yet resolved.
 */
export async function attentionCounts(system: Queryable): Promise<{ gap: number; refused: number }> {
  const { rows } = await system.query<{ gap: number | null; refused: number | null }>(
    `SELECT (SELECT sum(seq - prev_seq - 1)::bigint
               FROM (SELECT seq, coalesce(lag(seq) OVER (PARTITION BY tenant_id, device_id ORDER BY seq), 0) AS prev_seq
                       FROM offline_sales) g
              WHERE seq > prev_seq + 1) AS gap,
            (SELECT count(*)::bigint FROM offline_sales WHERE status = 'refused') AS refused`,
  );
  return { gap: rows[0]?.gap ?? 0, refused: rows[0]?.refused ?? 0 };
}

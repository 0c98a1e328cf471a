import type { RequestContext } from '../../platform/context.ts';
import { requireTenant } from '../../platform/context.ts';
import { prepared, type Queryable } from '../../platform/db/database.ts';

/** A stock level with the SKU of its variant. */
export interface LevelRow {
  variant_id: string;
  location_id: string;
  sku: string;
  on_hand: number;
  low_stock_threshold: number | null;
  below_threshold: boolean;
}

/** One movement to write; the ledger row gets the tenant, the actor and the time itself. */
export interface MovementRow {
  id: string;
  variantId: string;
  delta: number;
  reason: string;
  note: string | null;
}

const LEVEL_COLUMNS = 'l.variant_id, l.location_id, v.sku, l.on_hand, l.low_stock_threshold, l.below_threshold';

/** The variants of the current tenant with these ids (archived ones too), with their SKUs. */
export async function findVariantsById(tx: Queryable, ids: readonly string[]): Promise<{ id: string; sku: string }[]> {
  if (ids.length === 0) return [];
  const { rows } = await tx.query<{ id: string; sku: string }>(
    'SELECT id, sku FROM product_variants WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return rows;
}

/** The variants of the current tenant with these SKUs (exact, case-sensitive, as they are unique). */
export async function findVariantsBySku(
  tx: Queryable,
  skus: readonly string[],
): Promise<{ id: string; sku: string }[]> {
  if (skus.length === 0) return [];
  const { rows } = await tx.query<{ id: string; sku: string }>(
    'SELECT id, sku FROM product_variants WHERE sku = ANY($1::text[])',
    [skus],
  );
  return rows;
}

/**
 * Makes sure a level row exists for each variant at the location, inserting in variant order: two transactions
 * creating the same new rows wait for each other in the same order, never in a cycle.
 */
export async function ensureLevels(
  tx: Queryable,
  ctx: RequestContext,
  locationId: string,
  variantIds: readonly string[],
): Promise<void> {
  await tx.query(
    `INSERT INTO stock_levels (tenant_id, variant_id, location_id)
     SELECT $1, v, $2 FROM unnest($3::uuid[]) AS v ORDER BY v
     ON CONFLICT (variant_id, location_id) DO NOTHING`,
    [requireTenant(ctx), locationId, variantIds],
  );
}

/**
 * Locks the level rows of the variants at the location, in variant order (PostgreSQL sorts before it locks), and
 * returns them as they are once the locks are held: a concurrent writer that committed first is seen.
 */
export async function lockLevels(
  tx: Queryable,
  locationId: string,
  variantIds: readonly string[],
): Promise<LevelRow[]> {
  const { rows } = await tx.query<LevelRow>(
    `SELECT ${LEVEL_COLUMNS}
       FROM stock_levels l JOIN product_variants v ON v.id = l.variant_id
      WHERE l.location_id = $1 AND l.variant_id = ANY($2::uuid[])
      ORDER BY l.variant_id
        FOR UPDATE OF l`,
    [locationId, variantIds],
  );
  return rows;
}

/** The levels of the variants at the location (all of the location's when `variantIds` is null). */
export async function readLevels(
  tx: Queryable,
  locationId: string,
  variantIds: readonly string[] | null,
): Promise<LevelRow[]> {
  const { rows } = await tx.query<LevelRow>(
    `SELECT ${LEVEL_COLUMNS}
       FROM stock_levels l JOIN product_variants v ON v.id = l.variant_id
      WHERE l.location_id = $1 AND ($2::uuid[] IS NULL OR l.variant_id = ANY($2::uuid[]))
      ORDER BY l.variant_id`,
    [locationId, variantIds],
  );
  return rows;
}

/** The movements as the five arrays the ledger inserts unnest: id, variant, delta, reason, note. */
function movementColumns(rows: readonly MovementRow[]): unknown[] {
  return [
    rows.map((r) => r.id),
    rows.map((r) => r.variantId),
    rows.map((r) => r.delta),
    rows.map((r) => r.reason),
    rows.map((r) => r.note),
  ];
}

/**
 * Appends movements to the ledger in one statement, in the given order. The table's trigger adds each delta to
 * its level's on_hand; nothing else may write on_hand.
 */
export async function insertMovements(
  tx: Queryable,
  ctx: RequestContext,
  m: {
    locationId: string;
    referenceType: string | null;
    referenceId: string | null;
    rows: readonly MovementRow[];
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO stock_movements
       (id, tenant_id, variant_id, location_id, delta, reason, reference_type, reference_id, note, actor_id)
     SELECT r.id, $1, r.variant_id, $2, r.delta, r.reason, $3, $4, r.note, $5
       FROM unnest($6::uuid[], $7::uuid[], $8::int[], $9::text[], $10::text[])
            WITH ORDINALITY AS r (id, variant_id, delta, reason, note, ord)
      ORDER BY r.ord`,
    [requireTenant(ctx), m.locationId, m.referenceType, m.referenceId, ctx.actorId ?? null, ...movementColumns(m.rows)],
  );
}

/** A variant's lines merged, as `lockCheckAndMove` judges them. */
export interface MergedDelta {
  readonly variantId: string;
  readonly net: number;
  readonly up: number;
  readonly down: number;
}

/*
 * Lock, check and move in one statement (one round trip while the rows are held). `locked` locks the existing
 * level rows in variant order and sees each as the last committer left it; `verdict` is true only when every
 * variant has a row, no running total would leave the int4 range, and under `block` no net take goes below 0;
 * only then are the movements inserted (their trigger adds to on_hand, under our locks, at the end of the
 * statement). The answer is the rows as they were before the move.
 */
const LOCK_CHECK_MOVE_SQL = prepared(
  'stock_lock_check_move',
  `
  WITH want AS (
    SELECT * FROM unnest($3::uuid[], $4::int[], $5::int[], $6::int[]) AS w(variant_id, net, up, down)
  ), locked AS MATERIALIZED (
    SELECT ${LEVEL_COLUMNS}
      FROM stock_levels l JOIN product_variants v ON v.id = l.variant_id
     WHERE l.location_id = $2 AND l.variant_id = ANY($3::uuid[])
     ORDER BY l.variant_id
       FOR UPDATE OF l
  ), verdict AS (
    SELECT count(*) = cardinality($3::uuid[])
           AND coalesce(bool_and(l.on_hand::bigint + w.up <= 2147483647 AND l.on_hand::bigint + w.down >= -2147483647
                                 AND ($7 <> 'block' OR w.net >= 0 OR l.on_hand + w.net >= 0)), false) AS ok
      FROM locked l JOIN want w ON w.variant_id = l.variant_id
  ), moved AS (
    INSERT INTO stock_movements
      (id, tenant_id, variant_id, location_id, delta, reason, reference_type, reference_id, note, actor_id)
    SELECT r.id, $1, r.variant_id, $2, r.delta, r.reason, $8, $9, r.note, $10
      FROM unnest($11::uuid[], $12::uuid[], $13::int[], $14::text[], $15::text[])
           WITH ORDINALITY AS r (id, variant_id, delta, reason, note, ord)
     WHERE (SELECT ok FROM verdict)
     ORDER BY r.ord
    RETURNING 1
  )
  SELECT locked.*, (SELECT count(*) FROM moved)::int AS moved FROM locked ORDER BY variant_id`,
);

/**
 * Locks the levels of the merged variants, checks them against the policy and, when every check passes, appends
 * the movements — in one statement. `moved` false means nothing was written: a level row is missing, or a check
 * failed (the caller finds which from `before`).
 */
export async function lockCheckAndMove(
  tx: Queryable,
  ctx: RequestContext,
  m: {
    locationId: string;
    policy: string;
    merged: readonly MergedDelta[];
    referenceType: string | null;
    referenceId: string | null;
    rows: readonly MovementRow[];
  },
): Promise<{ before: LevelRow[]; moved: boolean }> {
  const { rows } = await tx.query<LevelRow & { moved: number }>(LOCK_CHECK_MOVE_SQL, [
    requireTenant(ctx),
    m.locationId,
    m.merged.map((d) => d.variantId),
    m.merged.map((d) => d.net),
    m.merged.map((d) => d.up),
    m.merged.map((d) => d.down),
    m.policy,
    m.referenceType,
    m.referenceId,
    ctx.actorId ?? null,
    ...movementColumns(m.rows),
  ]);
  return {
    before: rows.map(({ moved: _moved, ...level }) => level),
    moved: rows.length > 0 && rows[0]?.moved === m.rows.length,
  };
}

/** Sets the low-stock flags of levels at a location (rows the caller holds locked). */
export async function setBelowThreshold(
  tx: Queryable,
  locationId: string,
  changes: readonly { variantId: string; below: boolean }[],
): Promise<void> {
  if (changes.length === 0) return;
  await tx.query(
    `UPDATE stock_levels l SET below_threshold = c.below, updated_at = now()
       FROM unnest($2::uuid[], $3::boolean[]) AS c (variant_id, below)
      WHERE l.location_id = $1 AND l.variant_id = c.variant_id`,
    [locationId, changes.map((c) => c.variantId), changes.map((c) => c.below)],
  );
}

/** Sets (or with null, removes) the low-stock threshold of a level, creating the level if it has none yet. */
export async function upsertThreshold(
  tx: Queryable,
  ctx: RequestContext,
  t: { locationId: string; variantId: string; threshold: number | null },
): Promise<void> {
  await tx.query(
    `INSERT INTO stock_levels (tenant_id, variant_id, location_id, low_stock_threshold) VALUES ($1, $2, $3, $4)
     ON CONFLICT (variant_id, location_id)
     DO UPDATE SET low_stock_threshold = EXCLUDED.low_stock_threshold, updated_at = now()`,
    [requireTenant(ctx), t.variantId, t.locationId, t.threshold],
  );
}

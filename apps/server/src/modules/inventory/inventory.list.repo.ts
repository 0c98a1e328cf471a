import type { Queryable } from '../../platform/db/database.ts';
import type { LevelRow } from './inventory.repo.ts';

export interface InventoryItemRow extends LevelRow {
  product_id: string;
  product_name: string;
  variant_name: string | null;
  updated_at: Date;
}

export interface MovementListRow {
  id: string;
  variant_id: string;
  sku: string;
  location_id: string;
  delta: number;
  reason: string;
  reference_type: string | null;
  reference_id: string | null;
  note: string | null;
  actor_id: string | null;
  created_at: Date;
}

/** The sort key of the inventory list, carried in its cursor. */
export interface ItemKey {
  readonly locationId: string;
  readonly sku: string;
  readonly variantId: string;
}

/** `%text%` for LIKE, with the pattern characters of `text` taken literally. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Stock levels by location, then SKU, `limit + 1` rows so the caller can tell whether a next page exists.
 * `scope` null means every location; `q` matches part of the SKU or the product name.
 */
export async function listItems(
  tx: Queryable,
  w: {
    scope: readonly string[] | null;
    locationId: string | null;
    q: string | null;
    belowThreshold: boolean | null;
    after: ItemKey | null;
    limit: number;
  },
): Promise<InventoryItemRow[]> {
  const { rows } = await tx.query<InventoryItemRow>(
    `SELECT l.variant_id, l.location_id, v.sku, l.on_hand, l.low_stock_threshold, l.below_threshold,
            v.product_id, p.name AS product_name, v.name AS variant_name, l.updated_at
       FROM stock_levels l
       JOIN product_variants v ON v.id = l.variant_id
       JOIN products p ON p.id = v.product_id
      WHERE ($1::uuid[] IS NULL OR l.location_id = ANY($1::uuid[]))
        AND ($2::uuid IS NULL OR l.location_id = $2::uuid)
        AND ($3::text IS NULL OR lower(v.sku) LIKE $3 OR lower(p.name) LIKE $3)
        AND ($4::boolean IS NULL
             OR $4 = (l.low_stock_threshold IS NOT NULL AND l.on_hand <= l.low_stock_threshold))
        AND ($5::uuid IS NULL OR (l.location_id, v.sku, l.variant_id) > ($5::uuid, $6::text, $7::uuid))
      ORDER BY l.location_id, v.sku, l.variant_id
      LIMIT $8`,
    [
      w.scope,
      w.locationId,
      w.q === null ? null : containsPattern(w.q),
      w.belowThreshold,
      w.after?.locationId ?? null,
      w.after?.sku ?? null,
      w.after?.variantId ?? null,
      w.limit + 1,
    ],
  );
  return rows;
}

/** The ledger, newest first (ids are UUIDv7), `limit + 1` rows; `before` is the last id of the previous page. */
export async function listMovements(
  tx: Queryable,
  w: {
    scope: readonly string[] | null;
    locationId: string | null;
    variantId: string | null;
    before: string | null;
    limit: number;
  },
): Promise<MovementListRow[]> {
  const { rows } = await tx.query<MovementListRow>(
    `SELECT m.id, m.variant_id, v.sku, m.location_id, m.delta, m.reason, m.reference_type, m.reference_id,
            m.note, m.actor_id, m.created_at
       FROM stock_movements m JOIN product_variants v ON v.id = m.variant_id
      WHERE ($1::uuid[] IS NULL OR m.location_id = ANY($1::uuid[]))
        AND ($2::uuid IS NULL OR m.location_id = $2::uuid)
        AND ($3::uuid IS NULL OR m.variant_id = $3::uuid)
        AND ($4::uuid IS NULL OR m.id < $4::uuid)
      ORDER BY m.id DESC
      LIMIT $5`,
    [w.scope, w.locationId, w.variantId, w.before, w.limit + 1],
  );
  return rows;
}

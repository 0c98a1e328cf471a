import type { Queryable } from '../../platform/db/database.ts';
import { requireTenant, type RequestContext } from '../../platform/context.ts';

export interface CategoryRow {
  id: string;
  tenant_id: string;
  name: string;
  position: number;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Categories in (position, id) order after `after`, `limit + 1` rows so the caller can tell a next page exists. */
export async function listCategories(
  tx: Queryable,
  w: { includeArchived: boolean; after: { position: number; id: string } | null; limit: number },
): Promise<CategoryRow[]> {
  const { rows } = await tx.query<CategoryRow>(
    `SELECT * FROM categories
      WHERE ($1::boolean OR archived_at IS NULL)
        AND ($2::integer IS NULL OR (position, id) > ($2::integer, $3::uuid))
      ORDER BY position, id LIMIT $4`,
    [w.includeArchived, w.after?.position ?? null, w.after?.id ?? null, w.limit + 1],
  );
  return rows;
}

export async function findCategory(
  tx: Queryable,
  id: string,
  lock: 'none' | 'share' | 'update' = 'none',
): Promise<CategoryRow | undefined> {
  const suffix = lock === 'update' ? ' FOR UPDATE' : lock === 'share' ? ' FOR SHARE' : '';
  const { rows } = await tx.query<CategoryRow>(`SELECT * FROM categories WHERE id = $1${suffix}`, [id]);
  return rows[0];
}

/** Categories whose lower-cased name is one of `keys` (names are unique case-insensitively). */
export async function findCategoriesByKey(tx: Queryable, keys: readonly string[]): Promise<CategoryRow[]> {
  if (keys.length === 0) return [];
  const { rows } = await tx.query<CategoryRow>('SELECT * FROM categories WHERE lower(name) = ANY($1::text[])', [keys]);
  return rows;
}

/** Names of the given categories, by id (for exports). */
export async function categoryNames(tx: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await tx.query<{ id: string; name: string }>(
    'SELECT id, name FROM categories WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function insertCategory(
  tx: Queryable,
  ctx: RequestContext,
  c: { id: string; name: string; position: number },
): Promise<CategoryRow> {
  const { rows } = await tx.query<CategoryRow>(
    'INSERT INTO categories (id, tenant_id, name, position) VALUES ($1, $2, $3, $4) RETURNING *',
    [c.id, requireTenant(ctx), c.name, c.position],
  );
  return rows[0] as CategoryRow;
}

export async function updateCategory(
  tx: Queryable,
  id: string,
  patch: { name?: string | undefined; position?: number | undefined },
): Promise<CategoryRow> {
  const { rows } = await tx.query<CategoryRow>(
    `UPDATE categories SET name = COALESCE($2, name), position = COALESCE($3, position), updated_at = now()
      WHERE id = $1 RETURNING *`,
    [id, patch.name ?? null, patch.position ?? null],
  );
  return rows[0] as CategoryRow;
}

export async function archiveCategory(tx: Queryable, id: string): Promise<CategoryRow> {
  const { rows } = await tx.query<CategoryRow>(
    'UPDATE categories SET archived_at = now(), updated_at = now() WHERE id = $1 RETURNING *',
    [id],
  );
  return rows[0] as CategoryRow;
}

/**
 * The categories a reorder must look at — those named in `ids` and every active one — locked for update in id
 * order (one lock order for every reorder, so two never wait on each other in a cycle).
 */
export async function lockCategoriesForOrder(tx: Queryable, ids: readonly string[]): Promise<CategoryRow[]> {
  const { rows } = await tx.query<CategoryRow>(
    `SELECT * FROM categories WHERE id = ANY($1::uuid[]) OR archived_at IS NULL ORDER BY id FOR UPDATE`,
    [ids],
  );
  return rows;
}

/**
 * Sets the given positions in one statement. Only rows whose position differs are written, so only those get a
 * new `updated_at` and (by migration 0014's trigger) a new `catalog_changed_at` for the till's feed.
 */
export async function setCategoryPositions(
  tx: Queryable,
  positions: readonly { id: string; position: number }[],
): Promise<CategoryRow[]> {
  if (positions.length === 0) return [];
  const { rows } = await tx.query<CategoryRow>(
    `UPDATE categories c SET position = n.position, updated_at = now()
       FROM unnest($1::uuid[], $2::integer[]) AS n(id, position)
      WHERE c.id = n.id AND c.position IS DISTINCT FROM n.position
      RETURNING c.*`,
    [positions.map((p) => p.id), positions.map((p) => p.position)],
  );
  return rows;
}

/** New categories go after the active ones, 10 apart, as a reorder numbers them; capped at the API's range. */
export const POSITION_STEP = 10;
export const POSITION_MAX = 1_000_000;

/** The position after the last active category: where a category created without one goes. */
export async function positionAfterLast(tx: Queryable): Promise<number> {
  return Math.min(POSITION_MAX, ((await maxActivePosition(tx)) ?? 0) + POSITION_STEP);
}

/** The largest position among active categories, or null when there are none (new categories go after it). */
export async function maxActivePosition(tx: Queryable): Promise<number | null> {
  const { rows } = await tx.query<{ max: number | null }>(
    'SELECT max(position) AS max FROM categories WHERE archived_at IS NULL',
  );
  return rows[0]?.max ?? null;
}

import type { Queryable } from '../../platform/db/database.ts';
import { requireTenant, type RequestContext } from '../../platform/context.ts';

export interface ProductRow {
  id: string;
  tenant_id: string;
  name: string;
  description: string | null;
  category_id: string | null;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The editable columns of a product; undefined leaves a column alone, null clears it. */
export interface ProductPatch {
  name?: string | undefined;
  description?: string | null | undefined;
  category_id?: string | null | undefined;
}

/** Inserts products in one statement; returns them in input order. */
export async function insertProducts(
  tx: Queryable,
  ctx: RequestContext,
  ps: readonly { id: string; name: string; description: string | null; categoryId: string | null }[],
): Promise<ProductRow[]> {
  if (ps.length === 0) return [];
  const { rows } = await tx.query<ProductRow>(
    `INSERT INTO products (id, tenant_id, name, description, category_id)
     SELECT p.id, $1, p.name, p.description, p.category_id
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::uuid[]) AS p(id, name, description, category_id)
     RETURNING *`,
    [
      requireTenant(ctx),
      ps.map((p) => p.id),
      ps.map((p) => p.name),
      ps.map((p) => p.description),
      ps.map((p) => p.categoryId),
    ],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ps.map((p) => byId.get(p.id) as ProductRow);
}

export async function findProduct(
  tx: Queryable,
  id: string,
  lock: 'none' | 'update' = 'none',
): Promise<ProductRow | undefined> {
  const { rows } = await tx.query<ProductRow>(
    `SELECT * FROM products WHERE id = $1${lock === 'update' ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function findProductsByIds(tx: Queryable, ids: readonly string[]): Promise<ProductRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await tx.query<ProductRow>('SELECT * FROM products WHERE id = ANY($1::uuid[]) ORDER BY id', [ids]);
  return rows;
}

/** Active products whose exact name is one of `names` (names are not unique: the caller decides). */
export async function findActiveProductsByName(tx: Queryable, names: readonly string[]): Promise<ProductRow[]> {
  if (names.length === 0) return [];
  const { rows } = await tx.query<ProductRow>(
    'SELECT * FROM products WHERE name = ANY($1::text[]) AND archived_at IS NULL ORDER BY id',
    [names],
  );
  return rows;
}

export async function updateProduct(tx: Queryable, id: string, patch: ProductPatch): Promise<ProductRow> {
  // Column names come from this fixed list, never from input.
  const entries = (['name', 'description', 'category_id'] as const)
    .filter((c) => patch[c] !== undefined)
    .map((c) => [c, patch[c]] as const);
  const sets = entries.map(([c], i) => `${c} = $${i + 2}`);
  const { rows } = await tx.query<ProductRow>(
    `UPDATE products SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING *`,
    [id, ...entries.map(([, v]) => v)],
  );
  return rows[0] as ProductRow;
}

export async function archiveProduct(tx: Queryable, id: string): Promise<ProductRow> {
  const { rows } = await tx.query<ProductRow>(
    'UPDATE products SET archived_at = now(), updated_at = now() WHERE id = $1 RETURNING *',
    [id],
  );
  return rows[0] as ProductRow;
}

/** Filters of the product list. `search` holds the lower-cased query and its two LIKE patterns. */
export interface ProductListWindow {
  readonly includeArchived: boolean;
  readonly categoryId: string | null;
  readonly search: { readonly text: string; readonly contains: string; readonly skuPrefix: string } | null;
  readonly after: string | null;
  readonly limit: number;
}

/**
 * Products in id order, `limit + 1` rows. A search matches a product whose lower-cased name is similar to the
 * query (pg_trgm `%`) or contains it, or that has a variant whose SKU starts with it (see searchProducts). The
 * WHERE clause is put together from fixed fragments so the planner sees only the filters in use.
 */
export async function listProducts(tx: Queryable, w: ProductListWindow): Promise<ProductRow[]> {
  if (w.search !== null) return searchProducts(tx, w, w.search);
  const params: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (!w.includeArchived) where.push('p.archived_at IS NULL');
  if (w.categoryId !== null) where.push(`p.category_id = ${param(w.categoryId)}::uuid`);
  if (w.after !== null) where.push(`p.id > ${param(w.after)}::uuid`);
  const sql = `SELECT p.* FROM products p ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
                ORDER BY p.id LIMIT ${param(w.limit + 1)}`;
  const { rows } = await tx.query<ProductRow>(sql, params);
  return rows;
}

/**
 * A search page. The matching runs in `catalog_search_product_ids` (migration 0004), which can use the trigram
 * indexes because it is not under row-level security and filters by the transaction's tenant itself; the rows
 * are then read by id under RLS like any other read.
 */
async function searchProducts(
  tx: Queryable,
  w: ProductListWindow,
  search: NonNullable<ProductListWindow['search']>,
): Promise<ProductRow[]> {
  const { rows } = await tx.query<ProductRow>(
    `SELECT p.* FROM products p
      WHERE p.id IN (SELECT id FROM catalog_search_product_ids($1, $2, $3, $4, $5::uuid, $6::uuid, $7))
      ORDER BY p.id`,
    [search.text, search.contains, search.skuPrefix, w.includeArchived, w.categoryId, w.after, w.limit + 1],
  );
  return rows;
}

/** Active products in id order after `after` (exports walk the catalog with this). */
export async function activeProductsAfter(tx: Queryable, after: string | null, limit: number): Promise<ProductRow[]> {
  const { rows } = await tx.query<ProductRow>(
    `SELECT * FROM products WHERE archived_at IS NULL AND ($1::uuid IS NULL OR id > $1::uuid)
      ORDER BY id LIMIT $2`,
    [after, limit],
  );
  return rows;
}

import { Type, type Static } from 'typebox';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { Database, Queryable } from '../../platform/db/database.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.ts';
import { problems, Uuid } from '../../platform/http/schemas.ts';
import { AppError } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { TENANT_ROLES } from '@novapos/domain';
import { displayName } from './catalog.shared.ts';

/*
 * The till's delta feed (docs/pos.md "Catalog cache"): every sellable variant changed since a cursor, archived
 * ones included (the till drops them), ordered by (catalog_changed_at, id). Immich-style: an update cursor, and
 * archival as a change record. catalog_changed_at is kept by migration 0014's triggers: a change of the variant, of
 * its product's name, category or archive state, or of its barcodes; the index (tenant_id, catalog_changed_at, id)
 * makes a poll read only what changed after its cursor.
 *
 * The horizon. A stamp is the writer's clock_timestamp(), taken while it holds its tenant's feed key (a shared
 * advisory lock until it ends), so a row can commit after a later-stamped one is read. The feed therefore serves
 * rows stamped before a horizon H only, and never hands out a cursor beyond H:
 *   - when this request gets the tenant's key exclusively (try, never wait), no stamping transaction is in flight:
 *     everything stamped before H = clock_timestamp() is committed and visible, every later writer stamps after H;
 *   - otherwise (a writer is in flight, or another poll holds the key) H = now() − OVERLAP: a writer that commits
 *     within OVERLAP of its write is still seen. The next quiet poll is exact again.
 * A page's cursor is its last row, which is before H, so a page's rows are final and paging never repeats them.
 */
const OVERLAP_SECONDS = 30;
const ZERO_ID = '00000000-0000-0000-0000-000000000000';
const EPOCH = '1970-01-01T00:00:00Z';
const TIME_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

export const CatalogChangesQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 1000 })),
  },
  { additionalProperties: false },
);

const TillItem = Type.Object({
  variant_id: Uuid,
  product_id: Uuid,
  sku: Type.String(),
  name: Type.String({ description: 'Product name, plus " – " and the variant name' }),
  category_id: Type.Union([Uuid, Type.Null()]),
  unit_price_cents: Type.Integer(),
  tax_code: Type.Union([Type.Literal('STD'), Type.Literal('EXEMPT'), Type.Literal('ZERO'), Type.Literal('NONE')]),
  barcodes: Type.Array(Type.String()),
  archived: Type.Boolean({ description: 'No longer sold: the till removes it' }),
});

const TillCategory = Type.Object({
  id: Uuid,
  name: Type.String(),
  position: Type.Integer(),
  archived: Type.Boolean(),
});

export const CatalogChanges = Type.Object(
  {
    items: Type.Array(TillItem),
    categories: Type.Array(TillCategory),
    next_cursor: Type.String({ description: 'Send it next time; pages until has_more is false' }),
    has_more: Type.Boolean(),
  },
  { $id: 'CatalogChanges' },
);
type CatalogChanges = Static<typeof CatalogChanges>;

interface ItemRow {
  variant_id: string;
  product_id: string;
  sku: string;
  product_name: string;
  variant_name: string | null;
  category_id: string | null;
  price_cents: string;
  tax_code: 'STD' | 'EXEMPT' | 'ZERO' | 'NONE';
  barcodes: string[];
  archived: boolean;
  changed_at: string;
}

/** The rows after `after` stamped before `horizon` (exclusive), in feed order; one more than `limit`. */
async function changedItems(
  tx: Queryable,
  after: { t: string; id: string },
  horizon: string,
  limit: number,
): Promise<ItemRow[]> {
  // The tenant condition is written out (as well as enforced by row-level security) so that the planner sees the
  // index's leading column; the row comparison is then an index range, and ORDER BY … LIMIT reads no more than a page.
  const { rows } = await tx.query<ItemRow>(
    `SELECT v.id AS variant_id, v.product_id, v.sku, p.name AS product_name, v.name AS variant_name,
            p.category_id, v.price_cents::text AS price_cents, v.tax_code,
            ARRAY(SELECT b.barcode FROM variant_barcodes b WHERE b.variant_id = v.id ORDER BY b.barcode) AS barcodes,
            (v.archived_at IS NOT NULL OR p.archived_at IS NOT NULL) AS archived,
            to_char(v.catalog_changed_at AT TIME ZONE 'UTC', ${TIME_FORMAT}) AS changed_at
       FROM product_variants v JOIN products p ON p.id = v.product_id
      WHERE v.tenant_id = app_current_tenant()
        AND (v.catalog_changed_at, v.id) > ($1::timestamptz, $2::uuid)
        AND v.catalog_changed_at < $3::timestamptz
      ORDER BY v.catalog_changed_at, v.id
      LIMIT $4`,
    [after.t, after.id, horizon, limit + 1],
  );
  return rows;
}

async function changedCategories(tx: Queryable, since: string, horizon: string): Promise<CatalogChanges['categories']> {
  const { rows } = await tx.query<{ id: string; name: string; position: number; archived: boolean }>(
    `SELECT id, name, position, (archived_at IS NOT NULL) AS archived
       FROM categories WHERE catalog_changed_at >= $1::timestamptz AND catalog_changed_at < $2::timestamptz
      ORDER BY position, name`,
    [since, horizon],
  );
  return rows;
}

/**
 * The time before which every change of this tenant is committed and visible to the statements that follow (see
 * the comment at the top). Runs first in the request's transaction; the exclusive key is held until it ends.
 */
async function feedHorizon(tx: Queryable, after: string): Promise<{ horizon: string; ahead: boolean }> {
  const { rows } = await tx.query<{ horizon: string; ahead: boolean }>(
    `SELECT to_char(h.at AT TIME ZONE 'UTC', ${TIME_FORMAT}) AS horizon, h.at > $2::timestamptz AS ahead
       FROM (SELECT CASE WHEN l.ok THEN clock_timestamp() ELSE now() - make_interval(secs => $1) END AS at
               FROM (SELECT pg_try_advisory_xact_lock(hashtext('novapos.catalog_feed'),
                                                      catalog_feed_lock_key(app_current_tenant())) AS ok) l) h`,
    [OVERLAP_SECONDS, after],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('feed horizon: no row');
  return row;
}

function parseCursor(cursor: string | undefined): { t: string; id: string } {
  if (cursor === undefined) return { t: EPOCH, id: ZERO_ID };
  const key = decodeCursor(cursor, ['t', 'id']);
  if (!isUuid(key.id) || Number.isNaN(Date.parse(key.t))) {
    throw new AppError('invalid_cursor', 'The cursor is not one this API issued');
  }
  return key;
}

/** One page of catalog changes since `cursor` (everything when there is none). */
export async function catalogChanges(
  db: Database,
  ctx: RequestContext,
  input: { cursor?: string | undefined; limit?: number | undefined },
): Promise<CatalogChanges> {
  const after = parseCursor(input.cursor);
  const limit = input.limit ?? 1000;
  return tenantTx(db, ctx, async (tx) => {
    const { horizon, ahead } = await feedHorizon(tx, after.t);
    const rows = await changedItems(tx, after, horizon, limit);
    const hasMore = rows.length > limit;
    const page = hasMore ? rows.slice(0, limit) : rows;
    // Categories are few: those changed since the cursor's time come with every page of a poll.
    const categories = await changedCategories(tx, after.t, horizon);
    const last = page.at(-1);
    // The last page: everything before the horizon has been served, so the next poll starts there (its rows are
    // after the cursor whatever their id). A fallback horizon can lie behind the cursor: then the cursor stays.
    const next = hasMore
      ? { t: (last as ItemRow).changed_at, id: (last as ItemRow).variant_id }
      : ahead
        ? { t: horizon, id: ZERO_ID }
        : after;
    return {
      items: page.map((r) => ({
        variant_id: r.variant_id,
        product_id: r.product_id,
        sku: r.sku,
        name: displayName(r.product_name, r.variant_name),
        category_id: r.category_id,
        unit_price_cents: Number(r.price_cents),
        tax_code: r.tax_code,
        barcodes: r.barcodes,
        archived: r.archived,
      })),
      categories,
      next_cursor: encodeCursor(next),
      has_more: hasMore,
    };
  });
}

/** GET /v1/catalog/changes: the till's catalog delta feed. */
export function catalogChangesRoutes(app: App, deps: AppDeps): void {
  app.addSchema(CatalogChanges);
  app.get(
    '/v1/catalog/changes',
    {
      config: { access: TENANT_ROLES },
      schema: {
        tags: ['catalog'],
        operationId: 'listCatalogChanges',
        summary: 'Sellable variants and categories changed since a cursor (archived ones included), for the till',
        querystring: CatalogChangesQuery,
        response: { 200: CatalogChanges, ...problems(400, 401, 403) },
      },
    },
    (request) => catalogChanges(deps.db, request.ctx, request.query),
  );
}

import { Type, type Static } from 'typebox';
import type { App, AppDeps } from '../../app.ts';
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
 * ones included (the till drops them), ordered by (changed_at, id) where changed_at is the later of the variant's
 * and its product's updated_at. Immich-style: an update cursor, and archival as a change record.
 *
 * updated_at is the writing transaction's start time, so a transaction that commits late can write a row "in the
 * past" of a cursor already handed out. The last page's cursor therefore never passes now() − OVERLAP: each poll
 * re-reads the last OVERLAP of changes (a handful of rows; the till's upsert is idempotent) and a slow writer's
 * rows are still seen, as long as it commits within OVERLAP.
 */
const OVERLAP_SECONDS = 30;
const ZERO_ID = '00000000-0000-0000-0000-000000000000';
const EPOCH = '1970-01-01T00:00:00Z';

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

async function changedItems(tx: Queryable, after: { t: string; id: string }, limit: number): Promise<ItemRow[]> {
  const { rows } = await tx.query<ItemRow>(
    `SELECT * FROM (
       SELECT v.id AS variant_id, v.product_id, v.sku, p.name AS product_name, v.name AS variant_name,
              p.category_id, v.price_cents::text AS price_cents, v.tax_code,
              ARRAY(SELECT b.barcode FROM variant_barcodes b WHERE b.variant_id = v.id ORDER BY b.barcode) AS barcodes,
              (v.archived_at IS NOT NULL OR p.archived_at IS NOT NULL) AS archived,
              GREATEST(v.updated_at, p.updated_at) AS changed_ts,
              to_char(GREATEST(v.updated_at, p.updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                AS changed_at
         FROM product_variants v JOIN products p ON p.id = v.product_id
     ) c
     WHERE (c.changed_ts, c.variant_id) > ($1::timestamptz, $2::uuid)
     ORDER BY c.changed_ts, c.variant_id
     LIMIT $3`,
    [after.t, after.id, limit + 1],
  );
  return rows;
}

async function changedCategories(tx: Queryable, since: string): Promise<CatalogChanges['categories']> {
  const { rows } = await tx.query<{ id: string; name: string; position: number; archived: boolean }>(
    `SELECT id, name, position, (archived_at IS NOT NULL) AS archived
       FROM categories WHERE updated_at > $1::timestamptz ORDER BY position, name`,
    [since],
  );
  return rows;
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
    const rows = await changedItems(tx, after, limit);
    const hasMore = rows.length > limit;
    const page = hasMore ? rows.slice(0, limit) : rows;
    // Categories are few: those changed since the cursor's time come with the first page of a poll.
    const categories = await changedCategories(tx, after.t);
    const last = page.at(-1);
    let next = last === undefined ? after : { t: last.changed_at, id: last.variant_id };
    if (!hasMore) {
      const { rows: now } = await tx.query<{ safe: string }>(
        `SELECT to_char((now() - make_interval(secs => $1)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS safe`,
        [OVERLAP_SECONDS],
      );
      const safe = now[0]?.safe ?? EPOCH;
      if (Date.parse(next.t) > Date.parse(safe)) next = { t: safe, id: ZERO_ID };
    }
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
        summary: 'Sellable variants and categories changed since a cursor (archived ones included), for the till',
        security: [{ bearer: [] }],
        querystring: CatalogChangesQuery,
        response: { 200: CatalogChanges, ...problems(400, 401, 403) },
      },
    },
    (request) => catalogChanges(deps.db, request.ctx, request.query),
  );
}

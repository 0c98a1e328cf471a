import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import { isUuid } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { categoryNotFound, cleanName, mapConflicts, toCategoryDto } from './catalog.shared.ts';
import * as writes from './catalog.writes.ts';
import * as repo from './categories.repo.ts';
import type {
  CategoryDto,
  CategoryListInput,
  CategoryOrderDto,
  CategoryOrderInput,
  CreateCategoryInput,
  UpdateCategoryInput,
} from './categories.schemas.ts';

const DEFAULT_LIMIT = 50;
/** Positions a reorder hands out: 10, 20, 30…, so one category can later be slotted in between by hand. */
export const ORDER_STEP = 10;

function afterOf(cursor: string | undefined): { position: number; id: string } | null {
  if (cursor === undefined) return null;
  const { position, id } = decodeCursor(cursor, ['position', 'id']);
  const n = Number(position);
  if (!Number.isSafeInteger(n) || !isUuid(id))
    throw new AppError('invalid_cursor', 'The cursor is not one this API issued');
  return { position: n, id };
}

async function existing(tx: Tx, id: string): Promise<repo.CategoryRow> {
  const row = await repo.findCategory(tx, id, 'update');
  if (row === undefined) throw categoryNotFound();
  return row;
}

/** Categories in display order (position, then creation); active ones unless `include_archived`. */
export function listCategories(
  db: Database,
  ctx: RequestContext,
  q: CategoryListInput,
): Promise<{ data: CategoryDto[]; next_cursor: string | null }> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const after = afterOf(q.cursor);
  return tenantTx(db, ctx, async (tx) => {
    const rows = await repo.listCategories(tx, { includeArchived: q.include_archived ?? false, after, limit });
    const page = toPage(rows, limit, (last) => ({ position: String(last.position), id: last.id }));
    return { data: page.data.map(toCategoryDto), next_cursor: page.next_cursor };
  });
}

/**
 * Creates a category; names are unique in the tenant without regard to case (409 `name_taken`). Without a position
 * it goes last: 10 after the last active category, as the CSV import and a reorder number them.
 */
export function createCategory(db: Database, ctx: RequestContext, input: CreateCategoryInput): Promise<CategoryDto> {
  const name = cleanName('name', input.name);
  return tenantTx(db, ctx, async (tx) => {
    const position = input.position ?? (await repo.positionAfterLast(tx));
    return toCategoryDto(await writes.createCategory(tx, ctx, { name, position }));
  });
}

/** Renames or moves a category; audits `category.updated` with what changed. */
export function updateCategory(
  db: Database,
  ctx: RequestContext,
  id: string,
  input: UpdateCategoryInput,
): Promise<CategoryDto> {
  const name = input.name === undefined ? undefined : cleanName('name', input.name);
  return tenantTx(db, ctx, async (tx) => {
    const before = await existing(tx, id);
    const changed = {
      name: name !== undefined && name !== before.name ? name : undefined,
      position: input.position !== undefined && input.position !== before.position ? input.position : undefined,
    };
    const fields = (['name', 'position'] as const).filter((f) => changed[f] !== undefined);
    if (fields.length === 0) return toCategoryDto(before);
    const after = await mapConflicts(repo.updateCategory(tx, id, changed));
    await recordAudit(tx, ctx, {
      action: 'category.updated',
      entityType: 'category',
      entityId: id,
      data: {
        before: Object.fromEntries(fields.map((f) => [f, before[f]])),
        after: Object.fromEntries(fields.map((f) => [f, after[f]])),
      },
    });
    return toCategoryDto(after);
  });
}

/**
 * Archives a category. Its products keep it (history and reports stay intact) but no product can be put into it
 * any more, and it leaves the lists. Archiving an archived category changes nothing.
 */
export function archiveCategory(db: Database, ctx: RequestContext, id: string): Promise<CategoryDto> {
  return tenantTx(db, ctx, async (tx) => {
    const before = await existing(tx, id);
    if (before.archived_at !== null) return toCategoryDto(before);
    const after = await repo.archiveCategory(tx, id);
    await recordAudit(tx, ctx, {
      action: 'category.archived',
      entityType: 'category',
      entityId: id,
      data: { name: after.name },
    });
    return toCategoryDto(after);
  });
}

/**
 * Duplicates are a malformed request whatever the catalog holds: refused before the database is asked. `ids` are
 * lower-cased, so one id in two spellings is a duplicate too.
 */
function refuseDuplicates(ids: readonly string[]): void {
  const first = new Map<string, number>();
  const errors: FieldError[] = [];
  ids.forEach((id, i) => {
    const seen = first.get(id);
    if (seen === undefined) first.set(id, i);
    else errors.push({ field: `ids[${i}]`, message: `repeats ids[${seen}]` });
  });
  if (errors.length > 0) {
    throw new AppError('validation_failed', 'A category is named more than once', { errors });
  }
}

/**
 * Sets the display order of the tenant's active categories in one transaction: `ids` names every active
 * category once, in the wanted order, and they get positions 10, 20, 30…. Refused, with nothing written:
 * a repeated id (400 `validation_failed`), an id that is not one of the tenant's categories (404
 * `category_not_found`), and a list that is not exactly the active categories — an archived one named, or an
 * active one missing, as when another user created or archived one since the list was read (409
 * `category_order_mismatch`, with `missing`). Each category whose position changes is audited as
 * `category.updated`, as a position changed one at a time is; the others are not written at all.
 */
export function reorderCategories(
  db: Database,
  ctx: RequestContext,
  input: CategoryOrderInput,
): Promise<CategoryOrderDto> {
  const ids = input.ids.map((id) => id.toLowerCase());
  refuseDuplicates(ids);
  return tenantTx(db, ctx, async (tx) => {
    const rows = await repo.lockCategoriesForOrder(tx, ids);
    const byId = new Map(rows.map((r) => [r.id, r]));

    const unknown = ids.flatMap((id, i) =>
      byId.has(id) ? [] : [{ field: `ids[${i}]`, message: 'is not a category of this tenant' }],
    );
    if (unknown.length > 0) {
      throw new AppError('category_not_found', 'No category with this id', { errors: unknown });
    }
    const named = new Set(ids);
    const archived = ids.flatMap((id, i) =>
      byId.get(id)?.archived_at === null ? [] : [{ field: `ids[${i}]`, message: 'is an archived category' }],
    );
    const missing = rows.filter((r) => r.archived_at === null && !named.has(r.id)).map((r) => r.id);
    if (archived.length > 0 || missing.length > 0) {
      throw new AppError(
        'category_order_mismatch',
        'The list must name every active category once, and no archived one; reload the categories and try again',
        {
          errors: [
            ...archived,
            ...(missing.length === 0 ? [] : [{ field: 'ids', message: `misses ${missing.length} active categories` }]),
          ],
          extra: { missing },
        },
      );
    }

    const wanted = ids.map((id, i) => ({ id, position: (i + 1) * ORDER_STEP }));
    const moved = wanted.filter((w) => byId.get(w.id)?.position !== w.position);
    const written = new Map((await repo.setCategoryPositions(tx, moved)).map((r) => [r.id, r]));
    for (const w of moved) {
      const before = byId.get(w.id) as repo.CategoryRow;
      await recordAudit(tx, ctx, {
        action: 'category.updated',
        entityType: 'category',
        entityId: w.id,
        data: { before: { position: before.position }, after: { position: w.position } },
      });
    }
    return { data: ids.map((id) => toCategoryDto(written.get(id) ?? (byId.get(id) as repo.CategoryRow))) };
  });
}

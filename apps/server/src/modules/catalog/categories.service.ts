import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import { isUuid } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { categoryNotFound, cleanName, mapConflicts, toCategoryDto } from './catalog.shared.ts';
import * as writes from './catalog.writes.ts';
import * as repo from './categories.repo.ts';
import type { CategoryDto, CategoryListInput, CreateCategoryInput, UpdateCategoryInput } from './categories.schemas.ts';

const DEFAULT_LIMIT = 50;

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

/** Creates a category; names are unique in the tenant without regard to case (409 `name_taken`). */
export function createCategory(db: Database, ctx: RequestContext, input: CreateCategoryInput): Promise<CategoryDto> {
  const name = cleanName('name', input.name);
  return tenantTx(db, ctx, async (tx) =>
    toCategoryDto(await writes.createCategory(tx, ctx, { name, position: input.position ?? 0 })),
  );
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

import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { afterIdCursor, toPage } from '../../platform/http/pagination.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import * as repo from './tenancy.repo.ts';
import type { CreateRegisterInput, RegisterDto, RegisterListInput, UpdateRegisterInput } from './tenancy.schemas.ts';
import { cleanName, inScope, scopeOf, toRegisterDto } from './tenancy.shared.ts';

const DEFAULT_LIMIT = 50;

function notFound(): AppError {
  return new AppError('register_not_found', 'No register with this id');
}

function conflictOf(err: unknown): unknown {
  if (isUniqueViolation(err, 'registers_name_unique')) {
    return new AppError('name_taken', 'Another register of this location already has this name', {
      errors: [{ field: 'name', message: 'is already used by another register of the location (archived ones count)' }],
    });
  }
  return err;
}

/** A register at a location the actor may see; any other id does not exist for them. */
async function visibleRegister(tx: Tx, ctx: RequestContext, id: string, lock = false): Promise<repo.RegisterRow> {
  const row = await repo.findRegister(tx, id, lock ? 'update' : 'none');
  if (row === undefined || !inScope(ctx, row.location_id)) throw notFound();
  return row;
}

/** Registers the actor may see, optionally of one location, active ones unless `include_archived`. */
export function listRegisters(
  db: Database,
  ctx: RequestContext,
  q: RegisterListInput,
): Promise<{ data: RegisterDto[]; next_cursor: string | null }> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const after = afterIdCursor(q.cursor);
  return tenantTx(db, ctx, async (tx) => {
    const rows = await repo.listRegisters(tx, {
      scope: scopeOf(ctx),
      locationId: q.location_id ?? null,
      includeArchived: q.include_archived ?? false,
      after,
      limit,
    });
    const page = toPage(rows, limit, (last) => ({ id: last.id }));
    return { data: page.data.map(toRegisterDto), next_cursor: page.next_cursor };
  });
}

export function getRegister(db: Database, ctx: RequestContext, id: string): Promise<RegisterDto> {
  return tenantTx(db, ctx, async (tx) => toRegisterDto(await visibleRegister(tx, ctx, id)));
}

/**
 * Adds a register (till) to a location. A manager with a location scope may add tills only to their locations
 * (403 `forbidden`); an archived location takes no new tills (409 `location_archived`).
 */
export function createRegister(db: Database, ctx: RequestContext, input: CreateRegisterInput): Promise<RegisterDto> {
  const name = cleanName('name', input.name);
  return tenantTx(db, ctx, async (tx) => {
    // FOR SHARE: an archive of the location running now waits for us, or we see it archived.
    const location = await repo.findLocation(tx, input.location_id, 'share');
    if (location === undefined) throw invalidField('location_id', 'is not a location of this tenant');
    if (!inScope(ctx, location.id)) {
      throw new AppError('forbidden', 'You may only add registers to the locations you work at');
    }
    if (location.archived_at !== null) {
      throw new AppError('location_archived', 'This location is archived; it takes no new registers');
    }
    const row = await repo
      .insertRegister(tx, ctx, { id: newId(), locationId: location.id, name })
      .catch((err: unknown) => {
        throw conflictOf(err);
      });
    await recordAudit(tx, ctx, {
      action: 'register.created',
      entityType: 'register',
      entityId: row.id,
      data: { location_id: row.location_id, name: row.name },
    });
    return toRegisterDto(row);
  });
}

/** Renames a register. */
export function updateRegister(
  db: Database,
  ctx: RequestContext,
  id: string,
  input: UpdateRegisterInput,
): Promise<RegisterDto> {
  const name = input.name === undefined ? undefined : cleanName('name', input.name);
  return tenantTx(db, ctx, async (tx) => {
    const before = await visibleRegister(tx, ctx, id, true);
    if (name === undefined || name === before.name) return toRegisterDto(before);
    const after = await repo.updateRegister(tx, id, { name }).catch((err: unknown) => {
      throw conflictOf(err);
    });
    await recordAudit(tx, ctx, {
      action: 'register.updated',
      entityType: 'register',
      entityId: id,
      data: { before: { name: before.name }, after: { name: after.name } },
    });
    return toRegisterDto(after);
  });
}

/**
 * Archives a register: it can no longer be signed in at (PIN login refuses it) and leaves the lists. Archiving an
 * archived register changes nothing.
 */
export function archiveRegister(db: Database, ctx: RequestContext, id: string): Promise<RegisterDto> {
  return tenantTx(db, ctx, async (tx) => {
    const before = await visibleRegister(tx, ctx, id, true);
    if (before.archived_at !== null) return toRegisterDto(before);
    const after = await repo.archiveRegister(tx, id);
    await recordAudit(tx, ctx, {
      action: 'register.archived',
      entityType: 'register',
      entityId: id,
      data: { location_id: after.location_id, name: after.name },
    });
    return toRegisterDto(after);
  });
}

import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { afterIdCursor, toPage } from '../../platform/http/pagination.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import * as repo from './tenancy.repo.ts';
import type {
  CreateLocationInput,
  LocationDto,
  LocationListInput,
  RegisterDto,
  UpdateLocationInput,
} from './tenancy.schemas.ts';
import {
  canonicalTimeZone,
  cleanName,
  cleanReceiptLines,
  inScope,
  sameLines,
  scopeOf,
  toLocationDto,
  toRegisterDto,
} from './tenancy.shared.ts';

const DEFAULT_LIMIT = 50;

function notFound(): AppError {
  return new AppError('location_not_found', 'No location with this id');
}

/** Turns the database's verdict on a duplicate name or code into the problem a client can act on. */
function conflictOf(err: unknown): unknown {
  if (isUniqueViolation(err, 'locations_name_unique')) {
    return new AppError('name_taken', 'Another location of this tenant already has this name', {
      errors: [{ field: 'name', message: 'is already used by another location (archived ones count)' }],
    });
  }
  if (isUniqueViolation(err, 'locations_code_unique')) {
    return new AppError('code_taken', 'Another location of this tenant already has this code', {
      errors: [{ field: 'code', message: 'is already used by another location (archived ones count)' }],
    });
  }
  return err;
}

/** A location the actor may see: outside their scope it does not exist for them. */
async function visibleLocation(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  lock: 'none' | 'update' = 'none',
): Promise<repo.LocationRow> {
  if (!inScope(ctx, id)) throw notFound();
  const row = await repo.findLocation(tx, id, lock);
  if (row === undefined) throw notFound();
  return row;
}

/** Locations of the tenant the actor may see, active ones unless `include_archived`. */
export function listLocations(
  db: Database,
  ctx: RequestContext,
  q: LocationListInput,
): Promise<{ data: LocationDto[]; next_cursor: string | null }> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const after = afterIdCursor(q.cursor);
  return tenantTx(db, ctx, async (tx) => {
    const rows = await repo.listLocations(tx, {
      scope: scopeOf(ctx),
      includeArchived: q.include_archived ?? false,
      after,
      limit,
    });
    const page = toPage(rows, limit, (last) => ({ id: last.id }));
    return { data: page.data.map(toLocationDto), next_cursor: page.next_cursor };
  });
}

export function getLocation(db: Database, ctx: RequestContext, id: string): Promise<LocationDto> {
  return tenantTx(db, ctx, async (tx) => toLocationDto(await visibleLocation(tx, ctx, id)));
}

/** Creates a location; its time zone defaults to the tenant's, its address to none. */
export function createLocation(db: Database, ctx: RequestContext, input: CreateLocationInput): Promise<LocationDto> {
  const name = cleanName('name', input.name);
  const timezone = input.timezone === undefined ? undefined : canonicalTimeZone('timezone', input.timezone);
  const addressLines = cleanReceiptLines('address_lines', input.address_lines ?? []);
  return tenantTx(db, ctx, async (tx) => {
    const tenant = await repo.findTenant(tx, ctx);
    const row = await repo
      .insertLocation(tx, ctx, {
        id: newId(),
        name,
        code: input.code ?? null,
        timezone: timezone ?? tenant?.timezone ?? 'UTC',
        address_lines: addressLines,
      })
      .catch((err: unknown) => {
        throw conflictOf(err);
      });
    await recordAudit(tx, ctx, {
      action: 'location.created',
      entityType: 'location',
      entityId: row.id,
      data: {
        name: row.name,
        code: row.code,
        timezone: row.timezone,
        ...(row.address_lines.length === 0 ? {} : { address_lines: row.address_lines }),
      },
    });
    return toLocationDto(row);
  });
}

/** Renames a location or changes its code, time zone or address. Archived locations may be edited (to free a name). */
export function updateLocation(
  db: Database,
  ctx: RequestContext,
  id: string,
  input: UpdateLocationInput,
): Promise<LocationDto> {
  const wanted = {
    name: input.name === undefined ? undefined : cleanName('name', input.name),
    code: input.code,
    timezone: input.timezone === undefined ? undefined : canonicalTimeZone('timezone', input.timezone),
    address_lines:
      input.address_lines === undefined ? undefined : cleanReceiptLines('address_lines', input.address_lines),
  };
  return tenantTx(db, ctx, async (tx) => {
    const before = await visibleLocation(tx, ctx, id, 'update');
    const changed = {
      name: wanted.name !== undefined && wanted.name !== before.name ? wanted.name : undefined,
      code: wanted.code !== undefined && wanted.code !== before.code ? wanted.code : undefined,
      timezone: wanted.timezone !== undefined && wanted.timezone !== before.timezone ? wanted.timezone : undefined,
      address_lines:
        wanted.address_lines !== undefined && !sameLines(wanted.address_lines, before.address_lines)
          ? wanted.address_lines
          : undefined,
    };
    const fields = (Object.keys(changed) as (keyof typeof changed)[]).filter((k) => changed[k] !== undefined);
    if (fields.length === 0) return toLocationDto(before);
    const after = await repo.updateLocation(tx, id, changed).catch((err: unknown) => {
      throw conflictOf(err);
    });
    await recordAudit(tx, ctx, {
      action: 'location.updated',
      entityType: 'location',
      entityId: id,
      data: {
        before: Object.fromEntries(fields.map((f) => [f, before[f]])),
        after: Object.fromEntries(fields.map((f) => [f, after[f]])),
      },
    });
    return toLocationDto(after);
  });
}

/**
 * Archives a location and, with it, its active registers: closing a store closes its tills, and a shop owner
 * should not have to archive each till first. Each register gets its own `register.archived` event. Archiving an
 * archived location changes nothing. Nothing is deleted: past sales keep pointing at the location.
 */
export function archiveLocation(
  db: Database,
  ctx: RequestContext,
  id: string,
): Promise<LocationDto & { archived_registers: RegisterDto[] }> {
  return tenantTx(db, ctx, async (tx) => {
    const before = await visibleLocation(tx, ctx, id, 'update');
    if (before.archived_at !== null) return { ...toLocationDto(before), archived_registers: [] };
    const registers = await repo.archiveRegistersOfLocation(tx, id);
    const after = await repo.archiveLocation(tx, id);
    for (const r of registers) {
      await recordAudit(tx, ctx, {
        action: 'register.archived',
        entityType: 'register',
        entityId: r.id,
        data: { location_id: id, name: r.name, reason: 'location_archived' },
      });
    }
    await recordAudit(tx, ctx, {
      action: 'location.archived',
      entityType: 'location',
      entityId: id,
      data: { name: after.name, archived_register_ids: registers.map((r) => r.id) },
    });
    return { ...toLocationDto(after), archived_registers: registers.map(toRegisterDto) };
  });
}

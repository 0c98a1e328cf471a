import type { Queryable } from '../../platform/db/database.ts';
import type { RequestContext } from '../../platform/context.ts';
import { requireTenant } from '../../platform/context.ts';

export interface TenantRow {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  status: string;
  created_at: Date;
  updated_at: Date;
}

export interface LocationRow {
  id: string;
  tenant_id: string;
  name: string;
  code: string | null;
  timezone: string;
  /** Migration 0016: stored trimmed, without blank lines. */
  address_lines: string[];
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface RegisterRow {
  id: string;
  tenant_id: string;
  location_id: string;
  name: string;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export async function insertTenant(
  tx: Queryable,
  ctx: RequestContext,
  t: { name: string; currency: string; timezone: string },
): Promise<TenantRow> {
  const { rows } = await tx.query<TenantRow>(
    'INSERT INTO tenants (id, name, currency, timezone) VALUES ($1, $2, $3, $4) RETURNING *',
    [requireTenant(ctx), t.name, t.currency, t.timezone],
  );
  return rows[0] as TenantRow;
}

export async function findTenant(tx: Queryable, ctx: RequestContext): Promise<TenantRow | undefined> {
  const { rows } = await tx.query<TenantRow>('SELECT * FROM tenants WHERE id = $1', [requireTenant(ctx)]);
  return rows[0];
}

export async function insertLocation(
  tx: Queryable,
  ctx: RequestContext,
  l: { id: string; name: string; code: string | null; timezone: string; address_lines?: readonly string[] },
): Promise<LocationRow> {
  const { rows } = await tx.query<LocationRow>(
    `INSERT INTO locations (id, tenant_id, name, code, timezone, address_lines)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [l.id, requireTenant(ctx), l.name, l.code, l.timezone, l.address_lines ?? []],
  );
  return rows[0] as LocationRow;
}

export async function insertRegister(
  tx: Queryable,
  ctx: RequestContext,
  r: { id: string; locationId: string; name: string },
): Promise<RegisterRow> {
  const { rows } = await tx.query<RegisterRow>(
    'INSERT INTO registers (id, tenant_id, location_id, name) VALUES ($1, $2, $3, $4) RETURNING *',
    [r.id, requireTenant(ctx), r.locationId, r.name],
  );
  return rows[0] as RegisterRow;
}

// ---- shared ---------------------------------------------------------------------------------------------

/** `SET a = $2, b = $3, updated_at = now()` for the defined fields of a patch; column names come from our code. */
function setClause(patch: Record<string, unknown>, firstParam: number): { sql: string; values: unknown[] } {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  const sets = entries.map(([column], i) => `${column} = $${firstParam + i}`);
  return { sql: [...sets, 'updated_at = now()'].join(', '), values: entries.map(([, v]) => v) };
}

/** Filters of a list: `scope` null means every location; `after` is the last id of the previous page. */
interface ListWindow {
  readonly scope: readonly string[] | null;
  readonly includeArchived: boolean;
  readonly after: string | null;
  readonly limit: number;
}

// ---- locations ------------------------------------------------------------------------------------------

/** Locations in id (creation) order, `limit + 1` rows so the caller can tell whether a next page exists. */
export async function listLocations(tx: Queryable, w: ListWindow): Promise<LocationRow[]> {
  const { rows } = await tx.query<LocationRow>(
    `SELECT * FROM locations
      WHERE ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))
        AND ($2::boolean OR archived_at IS NULL)
        AND ($3::uuid IS NULL OR id > $3::uuid)
      ORDER BY id LIMIT $4`,
    [w.scope, w.includeArchived, w.after, w.limit + 1],
  );
  return rows;
}

/** A location of the current tenant; `lock` takes the row for update (edits, archiving). */
export async function findLocation(
  tx: Queryable,
  id: string,
  lock: 'none' | 'share' | 'update' = 'none',
): Promise<LocationRow | undefined> {
  const suffix = lock === 'update' ? ' FOR UPDATE' : lock === 'share' ? ' FOR SHARE' : '';
  const { rows } = await tx.query<LocationRow>(`SELECT * FROM locations WHERE id = $1${suffix}`, [id]);
  return rows[0];
}

/** Which of `ids` are active (not archived) locations of the current tenant. */
export async function findActiveLocationIds(tx: Queryable, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await tx.query<{ id: string }>(
    'SELECT id FROM locations WHERE id = ANY($1::uuid[]) AND archived_at IS NULL FOR SHARE',
    [ids],
  );
  return rows.map((r) => r.id);
}

export async function updateLocation(
  tx: Queryable,
  id: string,
  patch: {
    name?: string | undefined;
    code?: string | null | undefined;
    timezone?: string | undefined;
    address_lines?: readonly string[] | undefined;
  },
): Promise<LocationRow> {
  const set = setClause(patch, 2);
  const { rows } = await tx.query<LocationRow>(`UPDATE locations SET ${set.sql} WHERE id = $1 RETURNING *`, [
    id,
    ...set.values,
  ]);
  return rows[0] as LocationRow;
}

export async function archiveLocation(tx: Queryable, id: string): Promise<LocationRow> {
  const { rows } = await tx.query<LocationRow>(
    'UPDATE locations SET archived_at = now(), updated_at = now() WHERE id = $1 RETURNING *',
    [id],
  );
  return rows[0] as LocationRow;
}

// ---- registers ------------------------------------------------------------------------------------------

/** Registers in id (creation) order, `limit + 1` rows; `locationId` narrows to one location. */
export async function listRegisters(
  tx: Queryable,
  w: ListWindow & { readonly locationId: string | null },
): Promise<RegisterRow[]> {
  const { rows } = await tx.query<RegisterRow>(
    `SELECT * FROM registers
      WHERE ($1::uuid[] IS NULL OR location_id = ANY($1::uuid[]))
        AND ($2::uuid IS NULL OR location_id = $2::uuid)
        AND ($3::boolean OR archived_at IS NULL)
        AND ($4::uuid IS NULL OR id > $4::uuid)
      ORDER BY id LIMIT $5`,
    [w.scope, w.locationId, w.includeArchived, w.after, w.limit + 1],
  );
  return rows;
}

/**
 * A register of the current tenant (archived ones too). `lock`: `update` for edits and archiving; `share` for a
 * row that refers to it (an override), so that archiving it waits for that transaction.
 */
export async function findRegister(
  tx: Queryable,
  id: string,
  lock: 'none' | 'share' | 'update' = 'none',
): Promise<RegisterRow | undefined> {
  const suffix = lock === 'update' ? ' FOR UPDATE' : lock === 'share' ? ' FOR SHARE' : '';
  const { rows } = await tx.query<RegisterRow>(`SELECT * FROM registers WHERE id = $1${suffix}`, [id]);
  return rows[0];
}

/** The ids of the registers (archived ones too) at any of these locations of the current tenant. */
export async function findRegisterIdsAt(tx: Queryable, locationIds: readonly string[]): Promise<string[]> {
  if (locationIds.length === 0) return [];
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM registers WHERE location_id = ANY($1::uuid[])', [
    locationIds,
  ]);
  return rows.map((r) => r.id);
}

export async function updateRegister(tx: Queryable, id: string, patch: { name?: string }): Promise<RegisterRow> {
  const set = setClause(patch, 2);
  const { rows } = await tx.query<RegisterRow>(`UPDATE registers SET ${set.sql} WHERE id = $1 RETURNING *`, [
    id,
    ...set.values,
  ]);
  return rows[0] as RegisterRow;
}

export async function archiveRegister(tx: Queryable, id: string): Promise<RegisterRow> {
  const { rows } = await tx.query<RegisterRow>(
    'UPDATE registers SET archived_at = now(), updated_at = now() WHERE id = $1 RETURNING *',
    [id],
  );
  return rows[0] as RegisterRow;
}

/** Archives the active registers of a location; returns them, in id order. */
export async function archiveRegistersOfLocation(tx: Queryable, locationId: string): Promise<RegisterRow[]> {
  const { rows } = await tx.query<RegisterRow>(
    `UPDATE registers SET archived_at = now(), updated_at = now()
      WHERE location_id = $1 AND archived_at IS NULL RETURNING *`,
    [locationId],
  );
  return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
}

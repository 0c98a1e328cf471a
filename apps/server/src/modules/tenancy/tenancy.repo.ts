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
  l: { id: string; name: string; code: string | null; timezone: string },
): Promise<LocationRow> {
  const { rows } = await tx.query<LocationRow>(
    'INSERT INTO locations (id, tenant_id, name, code, timezone) VALUES ($1, $2, $3, $4, $5) RETURNING *',
    [l.id, requireTenant(ctx), l.name, l.code, l.timezone],
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

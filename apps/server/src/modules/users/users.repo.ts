import type { TenantRole } from '@novapos/domain';
import type { Queryable } from '../../platform/db/database.ts';
import { requireTenant, type RequestContext } from '../../platform/context.ts';

export interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  pin_lookup: string | null;
  roles: TenantRole[];
  active: boolean;
  failed_login_count: number;
  failed_login_window_start: Date | null;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface NewUser {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string | null;
  pinLookup: string | null;
  roles: readonly TenantRole[];
}

export async function insertUser(tx: Queryable, ctx: RequestContext, u: NewUser): Promise<UserRow> {
  const { rows } = await tx.query<UserRow>(
    `INSERT INTO users (id, tenant_id, email, display_name, password_hash, pin_lookup, roles)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [u.id, requireTenant(ctx), u.email, u.displayName, u.passwordHash, u.pinLookup, u.roles],
  );
  return rows[0] as UserRow;
}

export async function findUserById(tx: Queryable, id: string): Promise<UserRow | undefined> {
  const { rows } = await tx.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  return rows[0];
}

/** Location scope of a user; empty means every location. */
export async function userLocationIds(tx: Queryable, userId: string): Promise<string[]> {
  const { rows } = await tx.query<{ location_id: string }>(
    'SELECT location_id FROM user_locations WHERE user_id = $1 ORDER BY location_id',
    [userId],
  );
  return rows.map((r) => r.location_id);
}

export async function setUserLocations(
  tx: Queryable,
  ctx: RequestContext,
  userId: string,
  locationIds: readonly string[],
): Promise<void> {
  await tx.query('DELETE FROM user_locations WHERE user_id = $1', [userId]);
  if (locationIds.length === 0) return;
  await tx.query(
    `INSERT INTO user_locations (tenant_id, user_id, location_id)
     SELECT $1, $2, unnest($3::uuid[])`,
    [requireTenant(ctx), userId, locationIds],
  );
}

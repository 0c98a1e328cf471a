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

// ---- the public view: never the password hash or the PIN lookup ----------------------------------------

/** A user as the API shows it: secrets reduced to whether they are set. */
export interface UserView {
  id: string;
  email: string;
  display_name: string;
  roles: TenantRole[];
  location_ids: string[];
  active: boolean;
  has_pin: boolean;
  has_password: boolean;
  last_login_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const VIEW_COLUMNS = `u.id, u.email, u.display_name, u.roles, u.active, u.last_login_at, u.created_at, u.updated_at,
  ARRAY(SELECT ul.location_id FROM user_locations ul WHERE ul.user_id = u.id ORDER BY ul.location_id) AS location_ids,
  u.pin_lookup IS NOT NULL AS has_pin, u.password_hash IS NOT NULL AS has_password`;

export interface UserFilters {
  readonly role: TenantRole | null;
  readonly active: boolean | null;
  /** Matched as a substring of the e-mail or display name, case-insensitively. */
  readonly q: string | null;
  readonly after: string | null;
  readonly limit: number;
}

/** `%`, `_` and `\` match themselves in a search, not as LIKE wildcards. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Users in id (creation) order, `limit + 1` rows so the caller can tell whether a next page exists. */
export async function listUsers(tx: Queryable, f: UserFilters): Promise<UserView[]> {
  const { rows } = await tx.query<UserView>(
    `SELECT ${VIEW_COLUMNS} FROM users u
      WHERE ($1::text IS NULL OR $1::text = ANY(u.roles))
        AND ($2::boolean IS NULL OR u.active = $2::boolean)
        AND ($3::text IS NULL OR u.email ILIKE $3::text OR u.display_name ILIKE $3::text)
        AND ($4::uuid IS NULL OR u.id > $4::uuid)
      ORDER BY u.id LIMIT $5`,
    [f.role, f.active, f.q === null ? null : likePattern(f.q), f.after, f.limit + 1],
  );
  return rows;
}

export async function findUserView(tx: Queryable, id: string): Promise<UserView | undefined> {
  const { rows } = await tx.query<UserView>(`SELECT ${VIEW_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
  return rows[0];
}

/** The user's row, locked for the rest of the transaction. */
export async function lockUser(tx: Queryable, id: string): Promise<UserRow | undefined> {
  const { rows } = await tx.query<UserRow>('SELECT * FROM users WHERE id = $1 FOR UPDATE', [id]);
  return rows[0];
}

/**
 * Ids of the tenant's active owners, locked in id order. Every change that could leave a tenant without an owner
 * takes these locks first, so two owners demoting each other at once queue here instead of both succeeding.
 */
export async function lockActiveOwnerIds(tx: Queryable): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id FROM users WHERE active AND 'owner' = ANY(roles) ORDER BY id FOR UPDATE`,
  );
  return rows.map((r) => r.id);
}

export interface UserPatch {
  readonly displayName?: string | undefined;
  readonly roles?: readonly TenantRole[] | undefined;
  readonly pinLookup?: string | null | undefined;
  readonly passwordHash?: string | undefined;
  readonly active?: boolean | undefined;
}

// Patch fields and their columns: column names in SQL come from here, never from input.
const PATCH_COLUMNS: Record<keyof UserPatch, string> = {
  displayName: 'display_name',
  roles: 'roles',
  pinLookup: 'pin_lookup',
  passwordHash: 'password_hash',
  active: 'active',
};

/** Writes the defined fields of a patch and bumps updated_at. */
export async function updateUser(tx: Queryable, id: string, patch: UserPatch): Promise<void> {
  const entries = (Object.keys(PATCH_COLUMNS) as (keyof UserPatch)[])
    .filter((k) => patch[k] !== undefined)
    .map((k) => [PATCH_COLUMNS[k], patch[k]] as const);
  const sets = entries.map(([column], i) => `${column} = $${i + 2}`);
  await tx.query(`UPDATE users SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`, [
    id,
    ...entries.map(([, v]) => v),
  ]);
}

/**
 * Whether a platform operator signs in with this e-mail. Sign-in without a tenant id could not tell the two
 * accounts apart, so a tenant user may not take an operator's e-mail (platform.repo's `emailSignsInToATenant` is
 * the other direction). Operators are invisible to a tenant, so this asks sign-in's SECURITY DEFINER lookup.
 */
export async function emailSignsInAsOperator(tx: Queryable, email: string): Promise<boolean> {
  const { rowCount } = await tx.query(`SELECT 1 FROM auth_login_candidates($1) WHERE kind = 'platform_user'`, [email]);
  return (rowCount ?? 0) > 0;
}

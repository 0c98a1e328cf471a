import type { Role } from '@novapos/domain';
import type { Queryable } from '../../platform/db/database.ts';

/** An account that signs in: a tenant user or a platform operator. */
export type AccountKind = 'user' | 'platform_user';

export interface LoginCandidate {
  readonly kind: AccountKind;
  readonly tenant_id: string | null;
  readonly subject_id: string;
}

/** The columns sign-in needs, the same for both kinds of account. */
export interface AccountRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  roles: Role[];
  active: boolean;
  locked_until: Date | null;
}

// Both account tables share the lockout columns; the table name is one of these constants, never input.
const TABLE: Record<AccountKind, string> = { user: 'users', platform_user: 'platform_users' };
const ROLES: Record<AccountKind, string> = { user: 'roles', platform_user: `ARRAY['superadmin']::text[] AS roles` };

/** Accounts with this e-mail in any tenant, and the platform operator with it (a SECURITY DEFINER lookup). */
export async function findLoginCandidates(tx: Queryable, email: string): Promise<LoginCandidate[]> {
  const { rows } = await tx.query<LoginCandidate>('SELECT kind, tenant_id, subject_id FROM auth_login_candidates($1)', [
    email,
  ]);
  return rows;
}

export async function findAccount(tx: Queryable, kind: AccountKind, id: string): Promise<AccountRow | undefined> {
  const { rows } = await tx.query<AccountRow>(
    `SELECT id, email, display_name, password_hash, ${ROLES[kind]}, active, locked_until
       FROM ${TABLE[kind]} WHERE id = $1`,
    [id],
  );
  return rows[0];
}

/**
 * Counts a failed sign-in in the account's window and locks the account when the count reaches the threshold.
 * One statement, so concurrent failures from many servers are all counted.
 */
export async function recordFailedLogin(
  tx: Queryable,
  kind: AccountKind,
  id: string,
  policy: { threshold: number; windowSeconds: number; lockSeconds: number },
): Promise<{ count: number; lockedUntil: Date | null; lockedNow: boolean }> {
  const { rows } = await tx.query<{ failed_login_count: number; locked_until: Date | null; locked_now: boolean }>(
    `WITH counted AS (
       SELECT id,
              CASE WHEN failed_login_window_start IS NULL
                     OR failed_login_window_start < now() - make_interval(secs => $2)
                   THEN 1 ELSE failed_login_count + 1 END AS n,
              CASE WHEN failed_login_window_start IS NULL
                     OR failed_login_window_start < now() - make_interval(secs => $2)
                   THEN now() ELSE failed_login_window_start END AS window_start
         FROM ${TABLE[kind]} WHERE id = $1 FOR UPDATE)
     UPDATE ${TABLE[kind]} t
        SET failed_login_count = c.n,
            failed_login_window_start = c.window_start,
            locked_until = CASE WHEN c.n >= $3 THEN now() + make_interval(secs => $4) ELSE t.locked_until END
       FROM counted c WHERE t.id = c.id
     RETURNING t.failed_login_count, t.locked_until, (c.n = $3) AS locked_now`,
    [id, policy.windowSeconds, policy.threshold, policy.lockSeconds],
  );
  const row = rows[0];
  return {
    count: row?.failed_login_count ?? 0,
    lockedUntil: row?.locked_until ?? null,
    lockedNow: row?.locked_now ?? false,
  };
}

export async function recordSuccessfulLogin(tx: Queryable, kind: AccountKind, id: string): Promise<void> {
  await tx.query(
    `UPDATE ${TABLE[kind]}
        SET failed_login_count = 0, failed_login_window_start = NULL, locked_until = NULL, last_login_at = now()
      WHERE id = $1`,
    [id],
  );
}

/** The active user whose PIN has this lookup value. */
export async function findUserByPin(tx: Queryable, lookup: string): Promise<AccountRow | undefined> {
  const { rows } = await tx.query<AccountRow>(
    `SELECT id, email, display_name, password_hash, roles, active, locked_until
       FROM users WHERE pin_lookup = $1`,
    [lookup],
  );
  return rows[0];
}

/** The tenant of a register, before any tenant is known (a SECURITY DEFINER lookup). */
export async function findRegisterTenant(tx: Queryable, registerId: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ tenant_id: string }>('SELECT tenant_id FROM auth_register_tenant($1)', [
    registerId,
  ]);
  return rows[0]?.tenant_id;
}

// ---- refresh tokens -------------------------------------------------------------------------------------

export interface RefreshTokenRow {
  id: string;
  tenant_id: string | null;
  subject_id: string;
  family_id: string;
  register_id: string | null;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** Whether a refresh token exists, and its tenant (null: a platform operator's), before any tenant is known. */
export async function findRefreshTokenTenant(
  tx: Queryable,
  tokenHash: string,
): Promise<{ tenantId: string | null } | undefined> {
  const { rows } = await tx.query<{ tenant_id: string | null }>('SELECT tenant_id FROM auth_refresh_token_tenant($1)', [
    tokenHash,
  ]);
  const row = rows[0];
  return row === undefined ? undefined : { tenantId: row.tenant_id };
}

export async function insertRefreshToken(
  tx: Queryable,
  t: {
    id: string;
    tenantId: string | null;
    subjectId: string;
    familyId: string;
    tokenHash: string;
    registerId: string | null;
    ttlSeconds: number;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO refresh_tokens (id, tenant_id, subject_id, family_id, token_hash, register_id, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))`,
    [t.id, t.tenantId, t.subjectId, t.familyId, t.tokenHash, t.registerId, t.ttlSeconds],
  );
}

/** The token row, locked: two refreshes of one token queue here and the second sees the first's use. */
export async function lockRefreshToken(tx: Queryable, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  const { rows } = await tx.query<RefreshTokenRow>(
    `SELECT id, tenant_id, subject_id, family_id, register_id, expires_at, used_at, revoked_at
       FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
    [tokenHash],
  );
  return rows[0];
}

export async function markRefreshTokenUsed(tx: Queryable, id: string): Promise<void> {
  await tx.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [id]);
}

/** Revokes every live token of a family; returns how many. */
export async function revokeFamily(tx: Queryable, familyId: string, reason: string): Promise<number> {
  const { rowCount } = await tx.query(
    `UPDATE refresh_tokens SET revoked_at = now(), revoke_reason = $2 WHERE family_id = $1 AND revoked_at IS NULL`,
    [familyId, reason],
  );
  return rowCount ?? 0;
}

/** Revokes every live session of a subject (deactivation, password change). */
export async function revokeSubjectSessions(tx: Queryable, subjectId: string, reason: string): Promise<number> {
  const { rowCount } = await tx.query(
    `UPDATE refresh_tokens SET revoked_at = now(), revoke_reason = $2 WHERE subject_id = $1 AND revoked_at IS NULL`,
    [subjectId, reason],
  );
  return rowCount ?? 0;
}

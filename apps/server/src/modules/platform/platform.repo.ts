import type { Queryable } from '../../platform/db/database.ts';

/** A platform operator as stored, without the password hash. */
export interface PlatformUserRow {
  id: string;
  email: string;
  display_name: string;
  active: boolean;
  created_at: Date;
}

/**
 * Inserts a platform operator unless one with the same e-mail (case-insensitive) exists. Returns undefined then,
 * so the caller can answer `email_taken` without a failed statement aborting its transaction.
 */
export async function insertPlatformUser(
  tx: Queryable,
  row: { id: string; email: string; displayName: string; passwordHash: string },
): Promise<PlatformUserRow | undefined> {
  const { rows } = await tx.query<PlatformUserRow>(
    `INSERT INTO platform_users (id, email, display_name, password_hash)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT ((lower(email))) DO NOTHING
     RETURNING id, email, display_name, active, created_at`,
    [row.id, row.email, row.displayName, row.passwordHash],
  );
  return rows[0];
}

/**
 * Whether a tenant user signs in with this e-mail. Tenant rows are invisible outside their tenant, so this asks
 * the SECURITY DEFINER lookup sign-in uses, which returns ids only.
 */
export async function emailSignsInToATenant(tx: Queryable, email: string): Promise<boolean> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM auth_login_candidates($1) WHERE kind = 'user'`,
    [email],
  );
  return (rows[0]?.n ?? 0) > 0;
}

/** A platform setting's stored JSON, or undefined; `lock` holds the row until the transaction ends. */
export async function readSetting(tx: Queryable, key: string, lock = false): Promise<unknown> {
  const { rows } = await tx.query<{ value: unknown }>(
    `SELECT value FROM platform_settings WHERE key = $1${lock ? ' FOR UPDATE' : ''}`,
    [key],
  );
  return rows[0]?.value;
}

/** Stores a platform setting (insert or replace), naming who changed it. */
export async function writeSetting(tx: Queryable, key: string, value: unknown, actorId: string | null): Promise<void> {
  await tx.query(
    `INSERT INTO platform_settings (key, value, updated_at, updated_by) VALUES ($1, $2, now(), $3)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
    [key, JSON.stringify(value), actorId],
  );
}

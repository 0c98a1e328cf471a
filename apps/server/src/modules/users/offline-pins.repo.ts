import type { TenantRole } from '@novapos/domain';
import { requireTenant, type RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { OfflinePinVerifier } from '../../platform/offline-pins.ts';

// `user_offline_pins` (migration 0019): per user, the verifier a till checks a PIN against while the server is
// unreachable (docs/security.md, "Offline sign-in"). Users own it: it is a user's PIN, in another form.

/**
 * Stores a verifier made from the PIN whose lookup is `pinLookup`, verified now, if that is still the user's PIN:
 * written only when `users.pin_lookup` matches, so a verifier made after a sign-in can never land on a PIN changed
 * meanwhile. Returns whether it was stored.
 */
export async function saveOfflinePin(
  tx: Queryable,
  ctx: RequestContext,
  userId: string,
  pinLookup: string,
  v: OfflinePinVerifier,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO user_offline_pins (tenant_id, user_id, pin_lookup, salt, iterations, hash, verified_at)
     SELECT $1, u.id, u.pin_lookup, $4, $5, $6, now() FROM users u WHERE u.id = $2 AND u.pin_lookup = $3
     ON CONFLICT (tenant_id, user_id) DO UPDATE
       SET pin_lookup = excluded.pin_lookup, salt = excluded.salt, iterations = excluded.iterations,
           hash = excluded.hash, verified_at = excluded.verified_at`,
    [requireTenant(ctx), userId, pinLookup, v.salt, v.iterations, v.hash],
  );
  return (rowCount ?? 0) > 0;
}

/** Forgets a user's verifier (their PIN was removed). */
export async function removeOfflinePin(tx: Queryable, userId: string): Promise<void> {
  await tx.query('DELETE FROM user_offline_pins WHERE user_id = $1', [userId]);
}

/**
 * Marks the verifier of this PIN as verified now (a successful PIN sign-in). False when the user has no verifier
 * of this PIN yet: the caller makes one.
 */
export async function touchOfflinePin(tx: Queryable, userId: string, pinLookup: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    'UPDATE user_offline_pins SET verified_at = now() WHERE user_id = $1 AND pin_lookup = $2',
    [userId, pinLookup],
  );
  return (rowCount ?? 0) > 0;
}

/** A verifier as a till receives it, with who it signs in. */
export interface OfflinePinRow {
  readonly user_id: string;
  readonly display_name: string;
  readonly roles: TenantRole[];
  readonly salt: Buffer;
  readonly iterations: number;
  readonly hash: Buffer;
  readonly verified_at: Date;
}

/**
 * The verifiers a till at `locationId` may hold: active, unlocked users who may work there (no location scope, or
 * this location in it), whose current PIN was verified within the last `graceHours` (older ones could not sign in
 * offline anyway, so they never leave the server). Most recently verified first: the till tries them in this order.
 */
export async function listOfflinePins(tx: Queryable, locationId: string, graceHours: number): Promise<OfflinePinRow[]> {
  if (graceHours <= 0) return [];
  const { rows } = await tx.query<OfflinePinRow>(
    `SELECT u.id AS user_id, u.display_name, u.roles, v.salt, v.iterations, v.hash, v.verified_at
       FROM user_offline_pins v JOIN users u ON u.id = v.user_id AND u.pin_lookup = v.pin_lookup
      WHERE u.active
        AND (u.locked_until IS NULL OR u.locked_until <= now())
        AND v.verified_at > now() - make_interval(hours => $2)
        AND (NOT EXISTS (SELECT 1 FROM user_locations ul WHERE ul.user_id = u.id)
             OR EXISTS (SELECT 1 FROM user_locations ul WHERE ul.user_id = u.id AND ul.location_id = $1))
      ORDER BY v.verified_at DESC, u.id`,
    [locationId, graceHours],
  );
  return rows;
}

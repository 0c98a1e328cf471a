import type { RequestContext } from '../../platform/context.ts';
import type { Database, Queryable } from '../../platform/db/database.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { findTillRegister, type TillRegisterRow } from '../tenancy/index.ts';
import { findUserById, listOfflinePins } from '../users/index.ts';
import * as repo from './offline-signin.repo.ts';
import type { OfflinePins, OfflineSignin, OfflineSigninInput } from './offline-signin.schemas.ts';

/** How far ahead of the server's clock a till's clock may be when it reports a sign-in. */
const FUTURE_SKEW_MS = 5 * 60 * 1000;
/** The oldest sign-in a till may still report (a till offline for longer has bigger problems). */
const OLDEST_REPORT_MS = 366 * 24 * 60 * 60 * 1000;

/**
 * Only the till of this very register, signed in there with a PIN (its access token names the register), reads or
 * reports its offline sign-ins: a back-office session, another register's till or another tenant's is refused, so
 * the verifiers reach no one who is not already at one of the location's tills (docs/security.md).
 */
async function tillRegister(tx: Queryable, ctx: RequestContext, registerId: string): Promise<TillRegisterRow> {
  if (ctx.registerId !== registerId) {
    throw new AppError('forbidden', 'Only a till signed in at this register may use its offline sign-in');
  }
  const register = await findTillRegister(tx, registerId);
  if (register === undefined || register.archived) {
    throw new AppError('register_not_found', 'No active register has this id');
  }
  if (ctx.locationIds.length > 0 && !ctx.locationIds.includes(register.location_id)) {
    throw new AppError('forbidden', 'You are not allowed to work at this location');
  }
  return register;
}

/**
 * What a till needs to sign its location's staff in while the server is unreachable: for each active user who may
 * work there and whose current PIN was verified within the tenant's grace window, the PBKDF2 verifier of the PIN
 * (never the PIN, never the server's peppered lookup). With the window at 0 the list is empty, so a till that syncs
 * forgets every verifier.
 */
export function offlinePins(db: Database, ctx: RequestContext, registerId: string): Promise<OfflinePins> {
  return tenantTx(db, ctx, async (tx) => {
    const register = await tillRegister(tx, ctx, registerId);
    const grace = register.offline_signin_grace_hours;
    const rows = await listOfflinePins(tx, register.location_id, grace);
    return {
      register_id: register.register_id,
      location_id: register.location_id,
      algorithm: 'PBKDF2-HMAC-SHA-256',
      grace_hours: grace,
      server_time: new Date().toISOString(),
      users: rows.map((r) => ({
        user_id: r.user_id,
        display_name: r.display_name,
        roles: r.roles,
        salt: r.salt.toString('base64'),
        iterations: r.iterations,
        hash: r.hash.toString('base64'),
        verified_at: r.verified_at.toISOString(),
      })),
    };
  });
}

function toDto(row: repo.OfflineSigninRow): OfflineSignin {
  return {
    id: row.id,
    register_id: row.register_id,
    user_id: row.user_id,
    signed_in_at: row.signed_in_at.toISOString(),
    failed_attempts: row.failed_attempts,
    reported_at: row.reported_at.toISOString(),
    reported_by: row.reported_by,
  };
}

function sameReport(row: repo.OfflineSigninRow, input: OfflineSigninInput): boolean {
  return (
    row.register_id === input.register_id &&
    row.user_id === input.user_id &&
    row.signed_in_at.getTime() === new Date(Date.parse(input.signed_in_at)).getTime() &&
    row.failed_attempts === input.failed_attempts
  );
}

/**
 * Records a sign-in a till accepted offline, reported when it reconnects: one row per sign-in (keyed by the till's
 * id for it) and one audit event `pos.offline_signin` on the register's chain, naming who signed in, when by the
 * till's clock, and who reported it. A report sent again (a lost answer) finds the first record (`created: false`)
 * and audits nothing more; the same id with other content is 409 `offline_signin_conflict`.
 */
export function reportOfflineSignin(
  db: Database,
  ctx: RequestContext,
  input: OfflineSigninInput,
): Promise<{ signin: OfflineSignin; created: boolean }> {
  const signedInAt = Date.parse(input.signed_in_at);
  const now = Date.now();
  // The schema's date-time format lets a few strings through that no clock shows (a 30th of February, a leap second).
  if (Number.isNaN(signedInAt)) throw invalidField('signed_in_at', 'is not a moment in time');
  if (signedInAt > now + FUTURE_SKEW_MS) throw invalidField('signed_in_at', "is in the future by the server's clock");
  if (signedInAt < now - OLDEST_REPORT_MS) throw invalidField('signed_in_at', 'is more than a year ago');
  const reporter = ctx.actorId;
  if (reporter === undefined) throw new AppError('unauthorized', 'Sign in first');
  const at: RequestContext = { ...ctx, registerId: input.register_id };
  return tenantTx(db, at, async (tx) => {
    await tillRegister(tx, ctx, input.register_id);
    const user = await findUserById(tx, input.user_id);
    if (user === undefined) throw new AppError('user_not_found', 'No user with this id');
    const row = await repo.insertOfflineSignin(tx, at, {
      id: input.id,
      registerId: input.register_id,
      userId: input.user_id,
      signedInAt: new Date(signedInAt).toISOString(),
      failedAttempts: input.failed_attempts,
      reportedBy: reporter,
    });
    if (row === undefined) {
      const first = await repo.findOfflineSignin(tx, input.id);
      if (first === undefined || !sameReport(first, input)) {
        throw new AppError('offline_signin_conflict', 'Another offline sign-in was reported with this id');
      }
      return { signin: toDto(first), created: false };
    }
    await recordAudit(tx, at, {
      action: 'pos.offline_signin',
      entityType: 'user',
      entityId: input.user_id,
      data: {
        offline_signin_id: row.id,
        register_id: row.register_id,
        signed_in_at: row.signed_in_at.toISOString(),
        failed_attempts: row.failed_attempts,
        reported_by: reporter,
        user_active: user.active,
      },
    });
    return { signin: toDto(row), created: true };
  });
}

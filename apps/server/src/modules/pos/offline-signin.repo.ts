import { requireTenant, type RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';

// `offline_signins` (migration 0019): the offline sign-ins tills report when they reconnect. Pos owns it.

export interface OfflineSigninRow {
  readonly id: string;
  readonly register_id: string;
  readonly user_id: string;
  readonly signed_in_at: Date;
  readonly failed_attempts: number;
  readonly reported_at: Date;
  readonly reported_by: string;
}

const COLUMNS = 'id, register_id, user_id, signed_in_at, failed_attempts, reported_at, reported_by';

/** Records a reported sign-in; undefined when a report with this id exists already (see `findOfflineSignin`). */
export async function insertOfflineSignin(
  tx: Queryable,
  ctx: RequestContext,
  s: { id: string; registerId: string; userId: string; signedInAt: string; failedAttempts: number; reportedBy: string },
): Promise<OfflineSigninRow | undefined> {
  const { rows } = await tx.query<OfflineSigninRow>(
    `INSERT INTO offline_signins (tenant_id, id, register_id, user_id, signed_in_at, failed_attempts, reported_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (tenant_id, id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [requireTenant(ctx), s.id, s.registerId, s.userId, s.signedInAt, s.failedAttempts, s.reportedBy],
  );
  return rows[0];
}

export async function findOfflineSignin(tx: Queryable, id: string): Promise<OfflineSigninRow | undefined> {
  const { rows } = await tx.query<OfflineSigninRow>(`SELECT ${COLUMNS} FROM offline_signins WHERE id = $1`, [id]);
  return rows[0];
}

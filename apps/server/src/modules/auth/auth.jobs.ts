import type { Queryable } from '../../platform/db/database.ts';
import type { ScheduleDefinition } from '../../platform/jobs/index.ts';

/** Refresh tokens are kept this long past their expiry, so that a reuse of a recently expired one can be traced. */
const KEEP_EXPIRED_DAYS = 7;

/** Deletes refresh tokens a week past their expiry, in every tenant (system pool); returns how many. */
export async function purgeExpiredRefreshTokens(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM refresh_tokens WHERE expires_at < now() - make_interval(days => $1)`,
    [KEEP_EXPIRED_DAYS],
  );
  return rowCount ?? 0;
}

/**
 * Auth's scheduled job on the one job queue: `auth.purge_refresh_tokens`, hourly, keeps the refresh-token table
 * small. The delete is idempotent; a failed run is a dead letter, and the next hour's run catches up.
 */
export function authSchedules(
  db: { readonly system: Queryable },
  logger: { info(obj: object, msg: string): void },
): ScheduleDefinition[] {
  return [
    {
      name: 'auth.purge_refresh_tokens',
      schedule: '17 * * * *',
      run: async () => {
        const removed = await purgeExpiredRefreshTokens(db.system);
        if (removed > 0) logger.info({ job: 'auth.purge_refresh_tokens', removed }, 'expired refresh tokens removed');
      },
    },
  ];
}

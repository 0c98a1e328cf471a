import type { Logger } from 'pino';
import type { Database } from './db/database.ts';
import { systemTx } from './db/tx.ts';
import { deleteExpiredKeys } from './http/idempotency.repo.ts';
import type { ScheduleDefinition } from './jobs/index.ts';

/**
 * The platform's clean-up that keeps its hot tables small: expired idempotency keys. (Modules purge their own
 * tables with their own schedules, e.g. auth's refresh tokens.) Idempotent: running it twice at once does no harm.
 */
export async function runHousekeeping(db: Database): Promise<{ idempotencyKeys: number }> {
  return systemTx(db, async (tx) => ({ idempotencyKeys: await deleteExpiredKeys(tx) }));
}

/** Housekeeping as a cron schedule of the one job queue (`platform.housekeeping`, hourly). */
export function housekeepingSchedules(db: Database, logger: Pick<Logger, 'info'>): ScheduleDefinition[] {
  return [
    {
      name: 'platform.housekeeping',
      schedule: '7 * * * *',
      run: async () => {
        const removed = await runHousekeeping(db);
        if (removed.idempotencyKeys > 0) logger.info({ job: 'platform.housekeeping', removed }, 'housekeeping');
      },
    },
  ];
}

import type { ScheduleDefinition } from '../../platform/jobs/index.ts';
import { createBackup, pruneBackups, type BackupsDeps } from './backups.service.ts';

/**
 * The scheduled backup (BACKUP_SCHEDULE, default 02:00 UTC daily), a cron schedule of the one job queue: each slot
 * runs once however many servers and workers run the queue. Retention runs after a good backup only: a failing
 * backup never deletes the old ones, and is a dead letter an operator can retry (docs/jobs.md).
 */
export function backupJobs(deps: BackupsDeps): ScheduleDefinition[] {
  return [
    {
      name: 'backups.scheduled',
      schedule: deps.config.backups.schedule,
      run: async () => {
        const backup = await createBackup(deps, 'schedule');
        if (backup.status !== 'succeeded') throw new Error(`backup failed: ${backup.error ?? 'unknown error'}`);
        await pruneBackups(deps);
      },
    },
  ];
}

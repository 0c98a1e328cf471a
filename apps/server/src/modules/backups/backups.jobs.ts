import type { JobDefinition } from '../../platform/jobs/scheduler.ts';
import { createBackup, pruneBackups, type BackupsDeps } from './backups.service.ts';

/**
 * The scheduled backup (BACKUP_SCHEDULE, default 02:00 UTC daily), claimed per slot in job_runs so one process
 * runs it however many servers and workers tick. Retention runs after a good backup only: a failing backup never
 * deletes the old ones.
 */
export function backupJobs(deps: BackupsDeps): JobDefinition[] {
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

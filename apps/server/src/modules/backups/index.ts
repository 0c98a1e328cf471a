export { backupJobs } from './backups.jobs.ts';
export { connectedNovaposSessions, restoreBackup, RestoreRefused, type RestoreResult } from './backups.restore.ts';
export { createBackup, listBackups, pruneBackups, type BackupsDeps } from './backups.service.ts';
export type { BackupDto } from './backups.schemas.ts';

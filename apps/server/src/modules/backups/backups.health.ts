import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../../platform/db/database.ts';
import { toReport, type HealthReport, type HealthStatus } from '../health/index.ts';
import { lastGoodBackup } from './backups.service.ts';

/**
 * /health/backup: up while the newest good backup is younger than BACKUP_MAX_AGE_HOURS (seed 002's (docs/sources.md) "no backup in 25
 * hours"). The age comes from the `backups` table, so every server answers the same wherever the backup ran.
 */
export async function backupHealth(db: Database, maxAgeHours: number, now = Date.now()): Promise<HealthReport> {
  let status: HealthStatus;
  try {
    const last = await lastGoodBackup(db);
    if (last === undefined || last.finished_at === null) {
      status = { status: 'down', message: 'no backup has succeeded yet', max_age_hours: maxAgeHours };
    } else {
      const ageSeconds = Math.round((now - Date.parse(last.finished_at)) / 1000);
      const fresh = ageSeconds <= maxAgeHours * 3600;
      status = {
        status: fresh ? 'up' : 'down',
        ...(fresh ? {} : { message: `the last good backup is older than ${maxAgeHours} hours` }),
        last_backup: last.file_name,
        finished_at: last.finished_at,
        age_seconds: ageSeconds,
        max_age_hours: maxAgeHours,
        size_bytes: last.size_bytes,
        encrypted: last.encrypted,
      };
    }
  } catch {
    status = { status: 'down', message: 'the backup record is unreadable (database down?)' };
  }
  return toReport([['backup', status]]);
}

const registered = new WeakSet<Registry>();

/**
 * `backup_last_success_timestamp_seconds` (0 before the first good backup), read from the table at each scrape, so
 * any server's /metrics backs the BackupMissing alert. A failed read keeps the last value.
 */
export function registerBackupGauge(registry: Registry, db: Database): void {
  if (registered.has(registry)) return;
  registered.add(registry);
  new Gauge({
    name: 'backup_last_success_timestamp_seconds',
    help: 'Unix time the newest good backup finished (0: none yet)',
    registers: [registry],
    async collect() {
      try {
        const last = await lastGoodBackup(db);
        this.set(last?.finished_at == null ? 0 : Date.parse(last.finished_at) / 1000);
      } catch {
        // keep the last value; the database-down alerts speak for this
      }
    },
  });
}

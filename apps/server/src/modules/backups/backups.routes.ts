import type { App, AppDeps } from '../../platform/app-deps.ts';
import { problems } from '../../platform/http/schemas.ts';
import { HealthReportSchema } from '../health/index.ts';
import { backupHealth, registerBackupGauge } from './backups.health.ts';
import { BackupList, BackupListQuery, BackupSchema } from './backups.schemas.ts';
import { listBackups, startBackup } from './backups.service.ts';

const TAGS = ['ops'];
const SUPERADMIN = ['superadmin'] as const;

/** Backups for platform operators, and /health/backup for probes. Restores are CLI-only (`novapos backup restore`). */
export function backupsRoutes(app: App, deps: AppDeps): void {
  registerBackupGauge(deps.metrics.registry, deps.db);
  const backups = { db: deps.db, config: deps.config, logger: app.log };

  app.post(
    '/v1/backups',
    {
      config: { access: SUPERADMIN },
      schema: {
        tags: TAGS,
        operationId: 'createBackup',
        summary: 'Start a backup of the whole database (superadmin)',
        description:
          'Answers 202 with the backup `running`; GET /v1/backups shows it `succeeded` (or `failed`, with the ' +
          'error) when pg_dump is done. 409 `backup_in_progress` while another backup runs; 503 ' +
          '`backups_unavailable` when pg_dump is missing.',
        response: { 202: BackupSchema, ...problems(401, 403, 409, 503) },
      },
    },
    async (_request, reply) => {
      const { backup } = await startBackup(backups, 'api');
      return reply.code(202).send(backup);
    },
  );

  app.get(
    '/v1/backups',
    {
      config: { access: SUPERADMIN },
      schema: {
        tags: TAGS,
        operationId: 'listBackups',
        summary: 'Backups, newest first (superadmin)',
        querystring: BackupListQuery,
        response: { 200: BackupList, ...problems(400, 401, 403) },
      },
    },
    async (request) => ({ data: await listBackups(deps.db, request.query.limit ?? 50) }),
  );

  app.get(
    '/health/backup',
    {
      schema: {
        tags: TAGS,
        operationId: 'getBackupHealth',
        summary: 'Age of the last good backup; 503 past BACKUP_MAX_AGE_HOURS (25) or when there is none',
        response: { 200: HealthReportSchema, 503: HealthReportSchema },
      },
    },
    async (_request, reply) => {
      const report = await backupHealth(deps.db, deps.config.backups.maxAgeHours);
      return reply.code(report.status === 'ok' ? 200 : 503).send(report);
    },
  );
}

import type { App, AppDeps } from '../../platform/app-deps.ts';
import { Page, problems } from '../../platform/http/schemas.ts';
import { registerJobGauges } from '../../platform/jobs/index.ts';
import { JobIdParams, JobQuery, JobSchema } from './jobs.schemas.ts';
import { listJobs, retryJob } from './jobs.service.ts';

const TAGS = ['ops'];
const SUPERADMIN = ['superadmin'] as const;

/**
 * The job queue for operators (seed 001 in docs/sources.md: list the dead letters, retry one): `GET /v1/ops/jobs` and
 * `POST /v1/ops/jobs/{id}/retry`, superadmin only. Also puts the queue's metrics (`jobs_total`,
 * `jobs_queue_depth`, `jobs_oldest_age_seconds`) on this server's /metrics.
 */
export function opsJobsRoutes(app: App, deps: AppDeps): void {
  registerJobGauges(deps.metrics.registry, deps.db.system, (err) =>
    deps.logger?.warn({ err: err.message }, 'could not read the job queue figures for /metrics'),
  );

  app.get(
    '/v1/ops/jobs',
    {
      config: { access: SUPERADMIN },
      schema: {
        operationId: 'listJobs',
        tags: TAGS,
        summary: 'Jobs of the background queue, newest first (superadmin)',
        description:
          'Filter by `state` (`failed`: the dead letters, jobs whose attempts ran out) and `queue` (the job name, ' +
          'e.g. `hooks.deliver`, `backups.scheduled`). docs/jobs.md lists the jobs.',
        querystring: JobQuery,
        response: { 200: Page(JobSchema), ...problems(400, 401, 403) },
      },
    },
    (request) => listJobs(deps.db, request.query),
  );

  app.post(
    '/v1/ops/jobs/:id/retry',
    {
      config: { access: SUPERADMIN },
      schema: {
        operationId: 'retryJob',
        tags: TAGS,
        summary: 'Run a dead job again (superadmin)',
        description:
          'Makes a `failed` job due now with its attempts reset. Audited as `job.retried`. A job that is not ' +
          'failed is 409 `conflict`; an unknown one 404 `not_found`.',
        params: JobIdParams,
        response: { 200: JobSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    (request) => retryJob(deps.db, request.ctx, request.params.id),
  );
}

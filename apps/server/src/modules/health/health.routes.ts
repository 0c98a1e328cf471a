import { createHash, timingSafeEqual } from 'node:crypto';
import { Type } from 'typebox';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { AppError } from '../../platform/errors.ts';
import { problems } from '../../platform/http/schemas.ts';
import { missingCheck, runChecks, type HealthReport } from './health.checks.ts';
import { refreshScrapeGauges } from './health.metrics.ts';
import { readinessProbe, redisReport } from './health.probes.ts';
import { AliveSchema, HealthReportSchema } from './health.schemas.ts';

const TAGS = ['ops'];
const REPORT_RESPONSES = { 200: HealthReportSchema, 503: HealthReportSchema };

/** 200 when every dependency in the report is up, else 503 (load balancers and Kubernetes read the status). */
function statusOf(report: HealthReport): 200 | 503 {
  return report.status === 'ok' ? 200 : 503;
}

/**
 * Operations endpoints, outside /v1 and without sign-in, for probes and scrapers:
 * - `/healthz`, `/health/live`: liveness, no I/O;
 * - `/health`: every dependency (database; redis and event_bus when configured), 503 when any is down;
 * - `/health/ready`: readiness (server started, database up, schema current);
 * - `/health/db`, `/health/redis`: one dependency each;
 * - `/metrics`: Prometheus text. With `METRICS_TOKEN` set it answers only `Authorization: Bearer <token>` (the
 *   business metrics carry tenant ids and revenue); without it, it is open, for a scraper on an internal network.
 */
export function healthRoutes(app: App, deps: AppDeps): void {
  const ready = readinessProbe(deps);

  app.get(
    '/healthz',
    {
      schema: {
        tags: TAGS,
        operationId: 'checkAlive',
        summary: 'Liveness: the process serves requests',
        response: { 200: AliveSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/live',
    {
      schema: {
        tags: TAGS,
        operationId: 'checkLiveness',
        summary: 'Liveness probe (no dependency is checked)',
        response: { 200: AliveSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health',
    {
      schema: {
        tags: TAGS,
        operationId: 'getHealth',
        summary: 'Health of every dependency (database, and redis / event bus when configured)',
        response: REPORT_RESPONSES,
      },
    },
    async (_request, reply) => {
      const report = await runChecks(deps.healthChecks);
      return reply.code(statusOf(report)).send(report);
    },
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags: TAGS,
        operationId: 'checkReadiness',
        summary: 'Readiness probe: started and not draining, database up, no migration pending',
        response: REPORT_RESPONSES,
      },
    },
    async (_request, reply) => {
      const report = await ready();
      return reply.code(statusOf(report)).send(report);
    },
  );

  app.get(
    '/health/db',
    {
      schema: { tags: TAGS, operationId: 'getDatabaseHealth', summary: 'Database health', response: REPORT_RESPONSES },
    },
    async (_request, reply) => {
      const report = await runChecks({ database: deps.healthChecks.database ?? missingCheck('database') });
      return reply.code(statusOf(report)).send(report);
    },
  );

  app.get(
    '/health/redis',
    {
      schema: {
        tags: TAGS,
        operationId: 'getRedisHealth',
        summary: 'Redis health',
        description:
          'With REDIS_URL set: the Redis check, `mode: "redis"`, 503 when it is down (sign-in still works: rate ' +
          'limits fall back to memory). Without REDIS_URL: 200 with `mode: "memory"`, the designed single-server ' +
          'mode.',
        response: REPORT_RESPONSES,
      },
    },
    async (_request, reply) => {
      const report = await redisReport(deps.healthChecks);
      return reply.code(statusOf(report)).send(report);
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: TAGS,
        operationId: 'getMetrics',
        summary: 'Prometheus metrics (text exposition format)',
        description: 'With METRICS_TOKEN set on the server, send `Authorization: Bearer <METRICS_TOKEN>`.',
        response: {
          200: {
            description: 'Prometheus text format',
            content: { 'text/plain': { schema: Type.String() } },
          },
          ...problems(401),
        },
      },
    },
    async (request, reply) => {
      requireMetricsToken(deps.config.monitoring.metricsToken, request.headers.authorization);
      await refreshScrapeGauges(deps, request.log);
      const body = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(body);
    },
  );
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Refuses a scrape without the configured token; compares digests in constant time (no length leak either). */
function requireMetricsToken(token: string | undefined, authorization: string | undefined): void {
  if (token === undefined) return;
  const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
  if (!timingSafeEqual(digest(presented), digest(token))) {
    throw new AppError('unauthorized', 'GET /metrics needs Authorization: Bearer with the METRICS_TOKEN');
  }
}

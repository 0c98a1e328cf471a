import { Counter, type Registry } from 'prom-client';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { registerStuckOrderGauges } from './watchdog.ts';
import { slowQueryLogOf } from '../../platform/db/query-timing.ts';
import { problems } from '../../platform/http/schemas.ts';
import { BusinessQuery, BusinessReport, PerformanceQuery, PerformanceReport } from './monitoring.schemas.ts';
import { businessReport, performanceReport } from './monitoring.service.ts';

const TAGS = ['ops'];

// Apps built twice on one registry (tests do) must not register the counter twice.
const withSlowCounter = new WeakSet<Registry>();
const OWNERS_AND_OPERATORS = ['owner', 'superadmin'] as const;

/** Seed 002's metrics API: /v1/monitoring/business and /v1/monitoring/performance. */
export function monitoringRoutes(app: App, deps: AppDeps): void {
  // The stuck-order gauges (watchdog.ts) on this server's /metrics too, whichever process runs the watchdog job.
  registerStuckOrderGauges(deps.metrics.registry, deps.db.system, deps.config.jobs.stuckAfterMinutes, (err) =>
    deps.logger?.warn({ err: err.message }, 'could not read the stuck-order figures for /metrics'),
  );
  const threshold = deps.config.monitoring.slowQueryMs;
  const log = slowQueryLogOf(deps.db.app);
  if (log !== undefined) log.thresholdMs = threshold; // both pools share one log (createDatabase)
  if (log !== undefined && !withSlowCounter.has(deps.metrics.registry)) {
    withSlowCounter.add(deps.metrics.registry);
    new Counter({
      name: 'db_slow_queries_total',
      help: 'Statements that took SLOW_QUERY_MS or longer, timed by the server (a slow query is one over 1 s by default)',
      registers: [deps.metrics.registry],
      collect() {
        this.reset();
        this.inc(log.slowCount);
      },
    });
  }

  app.get(
    '/v1/monitoring/business',
    {
      config: { access: OWNERS_AND_OPERATORS },
      schema: {
        tags: TAGS,
        operationId: 'getBusinessMonitoring',
        summary:
          'Orders and revenue per hour, average order value, voids, card failure rate (owner: the tenant; superadmin: every tenant)',
        querystring: BusinessQuery,
        response: { 200: BusinessReport, ...problems(400, 401, 403) },
      },
    },
    (request) => businessReport(deps.db, request.ctx, request.query.hours ?? 24),
  );

  app.get(
    '/v1/monitoring/performance',
    {
      config: { access: OWNERS_AND_OPERATORS },
      schema: {
        tags: TAGS,
        operationId: 'getPerformanceMonitoring',
        summary: "This server's slowest routes, error rate and slow queries (owner and superadmin)",
        description:
          'Route figures are this server process since it started (no tenant data: route templates and timings). ' +
          "Slow queries: pg_stat_statements when the extension is installed and preloaded, else the server's own " +
          `timing of its queries at or above SLOW_QUERY_MS (${threshold} ms here); SQL text only, never parameters.`,
        querystring: PerformanceQuery,
        response: { 200: PerformanceReport, ...problems(400, 401, 403) },
      },
    },
    (request) => performanceReport(deps.db, deps.metrics.registry, threshold, request.query.limit ?? 10),
  );
}

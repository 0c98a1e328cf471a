import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The server's Prometheus metrics. One registry per app instance (tests build many apps in one process, and a
 * global registry would refuse the second set of names).
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly outboxBacklog: Gauge;
  readonly outboxPublished: Counter<'bus'>;
  readonly outboxPublishFailures: Counter<'bus'>;
  readonly loginFailures: Counter<'reason'>;
  readonly dbPool: Gauge<'pool' | 'state'>;
  /** Idempotency keys taken over from a request whose lease ran out (its process died): docs/api.md. */
  readonly idempotencyTakeovers: Counter;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client names these gauges `_total`, which Prometheus reserves for counters (`promtool check metrics`
  // fails on them, and CI runs it on a live scrape). The handle and request counts they give are not used by any
  // dashboard or alert.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  return {
    registry,
    idempotencyTakeovers: new Counter({
      name: 'idempotency_takeovers_total',
      help: 'Idempotency-Keys taken over by a retry because the request holding them died with its process',
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    outboxBacklog: new Gauge({
      name: 'outbox_backlog',
      help: 'Outbox events written but not yet published',
      registers: [registry],
    }),
    outboxPublished: new Counter({
      name: 'outbox_published_total',
      help: 'Outbox events published, by bus',
      labelNames: ['bus'],
      registers: [registry],
    }),
    outboxPublishFailures: new Counter({
      name: 'outbox_publish_failures_total',
      help: 'Failed attempts to publish outbox events, by bus',
      labelNames: ['bus'],
      registers: [registry],
    }),
    loginFailures: new Counter({
      name: 'auth_login_failures_total',
      help: 'Failed sign-ins by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    dbPool: new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by pool (app, system) and state (total, idle, waiting, max)',
      labelNames: ['pool', 'state'],
      registers: [registry],
    }),
  };
}

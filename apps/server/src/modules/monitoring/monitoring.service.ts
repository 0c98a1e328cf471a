import type { Registry } from 'prom-client';
import type { RequestContext } from '../../platform/context.ts';
import type { Database, Queryable } from '../../platform/db/database.ts';
import { slowQueryLogOf } from '../../platform/db/query-timing.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import * as repo from './monitoring.repo.ts';
import type { BusinessReportDto, PerformanceReportDto } from './monitoring.schemas.ts';

/** Integer division rounded half up: an average in cents stays an integer without floating point. */
function averageCents(total: number, count: number): number {
  return count === 0 ? 0 : Math.floor((2 * total + count) / (2 * count));
}

async function business(db: Queryable, from: Date, to: Date) {
  const [hours, voided, payments] = await Promise.all([
    repo.ordersPerHour(db, from, to),
    repo.voidedCount(db, from, to),
    repo.paymentAttempts(db, from, to),
  ]);
  return { hours, voided, payments };
}

/**
 * Orders and revenue per hour, voids, average order value and the card failure rate over the last `hours`.
 * An owner sees their tenant (row-level security); a superadmin sees the platform (every tenant, by currency).
 */
export async function businessReport(db: Database, ctx: RequestContext, hours: number): Promise<BusinessReportDto> {
  const to = new Date();
  const from = new Date(to.getTime() - hours * 3_600_000);
  const platform = ctx.tenantId === undefined;
  // Sequential inside a transaction: one connection runs one query at a time.
  const data = platform
    ? await business(db.system, from, to)
    : await tenantTx(db, ctx, async (tx) => ({
        hours: await repo.ordersPerHour(tx, from, to),
        voided: await repo.voidedCount(tx, from, to),
        payments: await repo.paymentAttempts(tx, from, to),
      }));
  const currencies = new Map<string, { orders: number; revenue: number }>();
  for (const h of data.hours) {
    const c = currencies.get(h.currency) ?? { orders: 0, revenue: 0 };
    c.orders += h.orders;
    c.revenue += h.revenue_cents;
    currencies.set(h.currency, c);
  }
  const { attempts, failures } = data.payments;
  return {
    scope: platform ? 'platform' : 'tenant',
    from: from.toISOString(),
    to: to.toISOString(),
    window_hours: hours,
    orders_completed: [...currencies.values()].reduce((n, c) => n + c.orders, 0),
    orders_voided: data.voided,
    by_currency: [...currencies.entries()].map(([currency, c]) => ({
      currency,
      orders: c.orders,
      revenue_cents: c.revenue,
      average_order_value_cents: averageCents(c.revenue, c.orders),
    })),
    per_hour: data.hours.map((h) => ({
      hour: h.hour.toISOString(),
      currency: h.currency,
      orders: h.orders,
      revenue_cents: h.revenue_cents,
    })),
    payments: { attempts, failures, failure_rate: attempts === 0 ? 0 : failures / attempts },
  };
}

interface HistogramValue {
  labels: Record<string, string | number | undefined>;
  value: number;
  metricName?: string;
}

/** Per-route figures from http_request_duration_seconds: this server's requests since it started. */
async function routeStats(registry: Registry) {
  const metric = registry.getSingleMetric('http_request_duration_seconds');
  const values = metric === undefined ? [] : ((await metric.get()).values as HistogramValue[]);
  const routes = new Map<
    string,
    { method: string; route: string; count: number; sum: number; errors: number; buckets: Map<number, number> }
  >();
  let total = 0;
  let server = 0;
  let client = 0;
  for (const v of values) {
    const { method, route, status_code: status } = v.labels;
    const key = `${String(method)} ${String(route)}`;
    const r = routes.get(key) ?? {
      method: String(method),
      route: String(route),
      count: 0,
      sum: 0,
      errors: 0,
      buckets: new Map<number, number>(),
    };
    routes.set(key, r);
    const code = Number(status);
    if (v.metricName?.endsWith('_count') === true) {
      r.count += v.value;
      total += v.value;
      if (code >= 500) {
        r.errors += v.value;
        server += v.value;
      } else if (code >= 400) client += v.value;
    } else if (v.metricName?.endsWith('_sum') === true) r.sum += v.value;
    else if (v.metricName?.endsWith('_bucket') === true && v.labels.le !== '+Inf') {
      const le = Number(v.labels.le);
      r.buckets.set(le, (r.buckets.get(le) ?? 0) + v.value);
    }
  }
  return { routes: [...routes.values()], total, server, client };
}

function p95Bound(buckets: Map<number, number>, count: number): number | null {
  for (const le of [...buckets.keys()].sort((a, b) => a - b)) {
    if ((buckets.get(le) ?? 0) >= 0.95 * count) return le * 1000;
  }
  return null;
}

const STARTED = new Date();

/** Slowest routes, error rates and slow queries (pg_stat_statements when available, else the app's own timing). */
export async function performanceReport(
  db: Database,
  registry: Registry,
  thresholdMs: number,
  limit: number,
): Promise<PerformanceReportDto> {
  const stats = await routeStats(registry);
  const statements = await repo.statStatements(db.system, thresholdMs, limit).catch(() => undefined);
  const log = slowQueryLogOf(db.app);
  return {
    since: STARTED.toISOString(),
    requests: stats.total,
    error_rate: stats.total === 0 ? 0 : stats.server / stats.total,
    client_error_rate: stats.total === 0 ? 0 : stats.client / stats.total,
    slowest_routes: stats.routes
      .filter((r) => r.count > 0)
      .map((r) => ({
        method: r.method,
        route: r.route,
        requests: r.count,
        errors: r.errors,
        mean_ms: Math.round((r.sum / r.count) * 10_000) / 10,
        p95_ms_at_most: p95Bound(r.buckets, r.count),
      }))
      .sort((a, b) => b.mean_ms - a.mean_ms)
      .slice(0, limit),
    slow_queries:
      statements === undefined
        ? {
            source: 'app',
            threshold_ms: thresholdMs,
            queries: (log?.top(limit) ?? []).map(({ last_seen: _, ...q }) => q),
          }
        : { source: 'pg_stat_statements', threshold_ms: thresholdMs, queries: statements },
  };
}

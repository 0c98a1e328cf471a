import { Counter, Gauge, type Registry } from 'prom-client';
import { BoundedLabels, OVERFLOW_LABEL } from './labels.ts';
import { TELEMETRY_COUNTERS, TELEMETRY_GAUGES, type TelemetryInput } from './telemetry.schemas.ts';

/** The till's print-retry telemetry as Prometheus series (the names and labels of seed 000, docs/sources.md). */
export interface TelemetryMetrics {
  readonly retries: Counter<'tenant_id' | 'store_id' | 'kind'>;
  readonly gauges: Gauge<'tenant_id' | 'store_id' | 'name'>;
  readonly pairs: BoundedLabels;
  readonly tenants: BoundedLabels;
  /** When each gauge series was last set, by its label values. */
  readonly gaugeSeen: Map<string, { labels: Record<'tenant_id' | 'store_id' | 'name', string>; at: number }>;
}

const byRegistry = new WeakMap<Registry, TelemetryMetrics>();

/**
 * A gauge series not reported for this long is dropped at the next scrape. With several servers behind a load
 * balancer a till's snapshots land on any of them, and a value left on one server must not keep an alert firing
 * after the till has recovered and reports elsewhere. Tills report every minute or so (docs/sources.md, seed 000).
 */
export const GAUGE_TTL_MS = 10 * 60_000;

export function telemetryMetrics(registry: Registry, limits: { pairs: number; tenants: number }): TelemetryMetrics {
  let m = byRegistry.get(registry);
  if (m === undefined) {
    m = {
      retries: new Counter({
        name: 'pos_print_retry_total',
        help: 'Receipt print retries reported by tills, by kind (queued, failed, success)',
        labelNames: ['tenant_id', 'store_id', 'kind'],
        registers: [registry],
      }),
      gauges: new Gauge({
        name: 'pos_print_gauge',
        help: 'Print gauges reported by tills: queue_depth (jobs waiting), last_attempt (ms the last retry took)',
        labelNames: ['tenant_id', 'store_id', 'name'],
        registers: [registry],
        collect() {
          dropStale(created, Date.now());
        },
      }),
      pairs: new BoundedLabels(limits.pairs),
      tenants: new BoundedLabels(limits.tenants),
      gaugeSeen: new Map(),
    };
    const created = m;
    byRegistry.set(registry, m);
  }
  return m;
}

/**
 * Adds one snapshot. Labels: the caller's tenant (bounded), the store (bounded per (tenant, store) pair), and
 * kind/name from the whitelist the schema enforced. Returns the store label used.
 */
export function recordTelemetry(m: TelemetryMetrics, tenantId: string, input: TelemetryInput): string {
  const tenant = m.tenants.label(tenantId);
  const pair = m.pairs.label(`${tenant}\u0000${input.labels.store_id}`);
  const store = pair === OVERFLOW_LABEL ? OVERFLOW_LABEL : input.labels.store_id;
  for (const c of input.counters) {
    m.retries.inc({ tenant_id: tenant, store_id: store, kind: TELEMETRY_COUNTERS[c.name] }, c.value);
  }
  for (const g of input.gauges) {
    const labels = { tenant_id: tenant, store_id: store, name: TELEMETRY_GAUGES[g.name] };
    m.gauges.set(labels, g.value);
    m.gaugeSeen.set(`${tenant}\u0000${store}\u0000${labels.name}`, { labels, at: Date.now() });
  }
  return store;
}

/** Removes gauge series older than GAUGE_TTL_MS (see there). */
export function dropStale(m: TelemetryMetrics, now: number): void {
  for (const [key, seen] of m.gaugeSeen) {
    if (now - seen.at <= GAUGE_TTL_MS) continue;
    m.gauges.remove(seen.labels);
    m.gaugeSeen.delete(key);
  }
}

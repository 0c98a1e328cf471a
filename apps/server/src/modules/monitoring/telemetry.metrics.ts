import { Counter, Gauge, type Registry } from 'prom-client';
import { BoundedLabels, OVERFLOW_LABEL } from './labels.ts';
import { TELEMETRY_COUNTERS, TELEMETRY_GAUGES, type TelemetryInput } from './telemetry.schemas.ts';

/** The till's print-retry telemetry as Prometheus series (seed 000's names and labels). */
export interface TelemetryMetrics {
  readonly retries: Counter<'tenant_id' | 'store_id' | 'kind'>;
  readonly gauges: Gauge<'tenant_id' | 'store_id' | 'name'>;
  readonly pairs: BoundedLabels;
  readonly tenants: BoundedLabels;
}

const byRegistry = new WeakMap<Registry, TelemetryMetrics>();

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
      }),
      pairs: new BoundedLabels(limits.pairs),
      tenants: new BoundedLabels(limits.tenants),
    };
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
    m.gauges.set({ tenant_id: tenant, store_id: store, name: TELEMETRY_GAUGES[g.name] }, g.value);
  }
  return store;
}

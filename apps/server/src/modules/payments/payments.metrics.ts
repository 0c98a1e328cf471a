import { Counter, type Registry } from 'prom-client';
import { businessMetrics, type BusinessMetrics } from '../monitoring/index.ts';

/** The payments module's own Prometheus counters. */
export interface PaymentMetrics {
  /** Card payment attempts by outcome: authorized, captured, declined, error. */
  readonly payments: Counter<'method' | 'outcome'>;
  readonly refunds: Counter;
  readonly voids: Counter;
  /** The business counters (payment failures and refunds by tenant) of the same registry. */
  readonly business: BusinessMetrics;
}

// Tests build many apps in one process, each with its own registry: counters are made once per registry.
const byRegistry = new WeakMap<Registry, PaymentMetrics>();

/** The payments counters of a registry, created on first use. */
export function paymentMetrics(registry: Registry, tenantLabelLimit?: number): PaymentMetrics {
  let metrics = byRegistry.get(registry);
  if (metrics === undefined) {
    metrics = {
      payments: new Counter({
        name: 'payments_total',
        help: 'Card payment attempts by method and outcome (authorized, captured, declined, error)',
        labelNames: ['method', 'outcome'],
        registers: [registry],
      }),
      refunds: new Counter({
        name: 'payment_refunds_total',
        help: 'Refunds passed to the processor',
        registers: [registry],
      }),
      voids: new Counter({ name: 'payment_voids_total', help: 'Authorizations voided', registers: [registry] }),
      business: businessMetrics(registry, tenantLabelLimit),
    };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}

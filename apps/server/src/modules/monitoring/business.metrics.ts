import { Counter, type Registry } from 'prom-client';
import { BoundedLabels } from './labels.ts';

/**
 * Business counters on /metrics (seed 002's business dashboard and its revenue and payment alerts; docs/sources.md). Each is
 * incremented by one call where the change commits; the tenant_id label is bounded (labels.ts), currency is one
 * of a tenant's few ISO codes. Amounts are integer cents, so sums stay exact.
 */
export interface BusinessMetrics {
  /** An order completed (paid in full) and committed. */
  orderCompleted(tenantId: string, currency: string, totalCents: number): void;
  /** A completed or open order voided. */
  orderVoided(tenantId: string): void;
  /** A card payment failed: `declined` by the processor, or `error` (unreachable, rejected). */
  paymentFailed(tenantId: string | undefined, reason: 'declined' | 'error'): void;
  /** Money refunded to a card. */
  refunded(tenantId: string | undefined, currency: string, cents: number): void;
}

const byRegistry = new WeakMap<Registry, BusinessMetrics>();

/** The business counters of a registry, made on first use (the first caller's tenant limit applies). */
export function businessMetrics(registry: Registry, tenantLabelLimit = 100): BusinessMetrics {
  const existing = byRegistry.get(registry);
  if (existing !== undefined) return existing;
  const tenants = new BoundedLabels(tenantLabelLimit);
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  const orders = counter('orders_total', 'Orders completed', ['tenant_id']);
  const revenue = counter('revenue_cents_total', 'Revenue of completed orders, in cents', ['tenant_id', 'currency']);
  const failures = counter('payment_failures_total', 'Card payments that failed, by reason (declined, error)', [
    'tenant_id',
    'reason',
  ]);
  const voids = counter('order_voids_total', 'Orders voided', ['tenant_id']);
  const refunds = counter('refunds_total', 'Card refunds', ['tenant_id']);
  const refundedCents = counter('refunded_cents_total', 'Money refunded to cards, in cents', ['tenant_id', 'currency']);
  const metrics: BusinessMetrics = {
    orderCompleted: (tenantId, currency, totalCents) => {
      const tenant_id = tenants.label(tenantId);
      orders.inc({ tenant_id });
      revenue.inc({ tenant_id, currency }, totalCents);
    },
    orderVoided: (tenantId) => {
      voids.inc({ tenant_id: tenants.label(tenantId) });
    },
    paymentFailed: (tenantId, reason) => {
      failures.inc({ tenant_id: tenants.label(tenantId ?? 'none'), reason });
    },
    refunded: (tenantId, currency, cents) => {
      const tenant_id = tenants.label(tenantId ?? 'none');
      refunds.inc({ tenant_id });
      refundedCents.inc({ tenant_id, currency }, cents);
    },
  };
  byRegistry.set(registry, metrics);
  return metrics;
}

/**
 * Bounded label values. A Prometheus series lives as long as the process and costs memory in every scrape, so a
 * label whose values come from data (tenants, stores) must not grow without limit: the first `limit` distinct values
 * keep their own label, later ones share `other`. The rule (docs/operations.md, "Label cardinality"): a tenant_id
 * label only on business and till metrics, at most METRICS_TENANT_LABEL_LIMIT tenants (default 100) per process;
 * till telemetry at most TELEMETRY_SERIES_LIMIT (tenant, store) pairs (default 500).
 */
export const OVERFLOW_LABEL = 'other';

export class BoundedLabels {
  private readonly seen = new Set<string>();
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** `value` itself while it is among the first `limit` distinct values seen, else `other`. */
  label(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit) return OVERFLOW_LABEL;
    this.seen.add(value);
    return value;
  }

  get size(): number {
    return this.seen.size;
  }
}

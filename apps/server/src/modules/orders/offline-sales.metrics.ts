import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../../platform/db/database.ts';
import { attentionCounts } from './offline-sales.repo.ts';

const registered = new WeakSet<Registry>();

/**
 * `pos_offline_sales_attention{kind}`: offline sales that need a person, across every tenant — `gap` (numbers
 * of a device's sequence that never arrived) and `refused` (refused, not yet resolved). Read from the database at
 * each scrape, so any server's /metrics backs the alert (deploy/prometheus/rules/novapos.rules.yml). A failed read
 * keeps the last value.
 */
export function registerAttentionGauge(registry: Registry, db: Database): void {
  if (registered.has(registry)) return;
  registered.add(registry);
  new Gauge({
    name: 'pos_offline_sales_attention',
    help: 'Offline sales needing a person: missing sequence numbers (gap) and refused, unresolved sales (refused)',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      try {
        const counts = await attentionCounts(db.system);
        this.set({ kind: 'gap' }, counts.gap);
        this.set({ kind: 'refused' }, counts.refused);
      } catch {
        // keep the last value; the database-down alerts speak for this
      }
    },
  });
}

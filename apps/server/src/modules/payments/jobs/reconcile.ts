import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../../../platform/db/database.ts';
import { invalidField } from '../../../platform/errors.ts';
import type { SettlementEntry } from '../gateway/gateway.ts';
import { gatewayOf, type PaymentsDeps } from '../payments.service.ts';
import * as repo from './jobs.repo.ts';

export type LineStatus = 'matched' | 'missing_at_processor' | 'missing_here' | 'amount_mismatch';

/** One compared movement: a capture or the refunds of one charge on the day. */
export interface ReconciliationLine {
  type: 'capture' | 'refund';
  provider_ref: string;
  /** Null for a processor line no intent of ours carries. */
  tenant_id: string | null;
  ours_cents: number | null;
  processor_cents: number | null;
  status: LineStatus;
}

export interface ReconciliationResult {
  date: string;
  run_at: string;
  matched: number;
  drift: number;
  lines: ReconciliationLine[];
}

/** `YYYY-MM-DD` of a real calendar day not after today (UTC), else 400 validation_failed naming `date`. */
export function checkDate(date: string, now: Date = new Date()): string {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : undefined;
  if (parsed === undefined || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw invalidField('date', 'must be a calendar day as YYYY-MM-DD');
  }
  if (date > now.toISOString().slice(0, 10)) throw invalidField('date', 'must not be in the future');
  return date;
}

/** The UTC day before `now`: what the nightly run reconciles. */
export function yesterdayUtc(now: Date = new Date()): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/**
 * Compares our movements with the processor's settlement lines, per (type, provider_ref), amounts summed on each
 * side. Pure, so the rules are visible in one place.
 */
export function compareMovements(ours: readonly repo.OurMovement[], theirs: readonly SettlementEntry[]) {
  const key = (type: string, ref: string) => `${type}\u0000${ref}`;
  const lines = new Map<string, ReconciliationLine>();
  for (const m of ours) {
    const k = key(m.type, m.provider_ref);
    const line = lines.get(k);
    if (line === undefined) {
      lines.set(k, {
        type: m.type,
        provider_ref: m.provider_ref,
        tenant_id: m.tenant_id,
        ours_cents: m.cents,
        processor_cents: null,
        status: 'missing_at_processor',
      });
    } else line.ours_cents = (line.ours_cents ?? 0) + m.cents;
  }
  for (const e of theirs) {
    const k = key(e.type, e.providerRef);
    const line = lines.get(k) ?? {
      type: e.type,
      provider_ref: e.providerRef,
      tenant_id: null,
      ours_cents: null,
      processor_cents: null,
      status: 'missing_here' as LineStatus,
    };
    line.processor_cents = (line.processor_cents ?? 0) + e.amountCents;
    lines.set(k, line);
  }
  for (const line of lines.values()) {
    if (line.ours_cents === null) line.status = 'missing_here';
    else if (line.processor_cents === null) line.status = 'missing_at_processor';
    else line.status = line.ours_cents === line.processor_cents ? 'matched' : 'amount_mismatch';
  }
  const sorted = [...lines.values()].sort(
    (a, b) => a.provider_ref.localeCompare(b.provider_ref) || a.type.localeCompare(b.type),
  );
  return summarize(sorted);
}

/** Counts of a set of lines. */
export function summarize(lines: ReconciliationLine[]): {
  matched: number;
  drift: number;
  lines: ReconciliationLine[];
} {
  const matched = lines.filter((l) => l.status === 'matched').length;
  return { matched, drift: lines.length - matched, lines };
}

/**
 * Reconciles one UTC day across all tenants: the processor's settlement report against our captures and refunds
 * of that day; the result replaces any earlier run of the day in `reconciliation_runs`.
 */
export async function reconcileDay(deps: PaymentsDeps, date: string): Promise<ReconciliationResult> {
  const gateway = gatewayOf(deps);
  const theirs = await gateway.settlementReport(date);
  const ours = await repo.movementsOfDay(deps.db.system, date);
  const result = compareMovements(ours, theirs);
  const row = await repo.saveReconciliationRun(deps.db.system, {
    date,
    matched: result.matched,
    drift: result.drift,
    details: result.lines,
  });
  return { date: row.date, run_at: row.run_at.toISOString(), ...result };
}

/** The stored run of a day, if there is one. */
export async function storedReconciliation(db: Database, date: string): Promise<ReconciliationResult | undefined> {
  const row = await repo.findReconciliationRun(db.system, date);
  if (row === undefined) return undefined;
  const lines = row.details as ReconciliationLine[];
  return { date: row.date, run_at: row.run_at.toISOString(), matched: row.matched, drift: row.drift, lines };
}

const gauges = new WeakMap<Registry, Gauge>();

/**
 * `payments_reconciliation_drift`: lines that did not match in the latest reconciled day. Read from the database
 * at scrape time, so every server reports the run a worker made; one gauge per registry.
 */
export function reconciliationDriftGauge(registry: Registry, db: Database): Gauge {
  let gauge = gauges.get(registry);
  if (gauge === undefined) {
    gauge = new Gauge({
      name: 'payments_reconciliation_drift',
      help: 'Settlement lines that did not match our records in the latest reconciled day',
      registers: [registry],
      async collect() {
        try {
          this.set(await repo.latestDrift(db.system));
        } catch {
          // A failed read keeps the last value: a scrape must not fail because of one metric.
        }
      },
    });
    gauges.set(registry, gauge);
  }
  return gauge;
}

import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { Queryable } from '../../platform/db/database.ts';
import type { ScheduleDefinition } from '../../platform/jobs/index.ts';
import { countStuck, findStuck, STUCK_KINDS, type StuckItem, type StuckKind } from './watchdog.repo.ts';

/** Items named in one run's log, at most (the gauge counts them all). */
const REPORT_LIMIT = 100;
/** A scrape must stay fast when the database is slow: the count gets this long, then the gauges keep their values. */
const SCRAPE_QUERY_MS = 2000;

/**
 * One watchdog run (seed 003 P5-02, issue 13): finds the sales stuck half-done for more than
 * `stuckAfterMinutes` (kinds: watchdog.repo.ts) and reports them, one warning per kind naming each tenant and id.
 * It resolves nothing itself: what is safe to resolve is resolved by the job that owns it — a sale's card
 * authorized without its order is voided by `payments.auto_void` (reason `orphaned`, audited `payment.voided`), a
 * completed order's authorization is captured by it — so what the watchdog still finds is what those could not
 * settle, and what only a person can: an order open with money taken (pay the rest, or cancel and refund), a
 * sale whose till never came back.
 */
export async function runWatchdog(
  db: Queryable,
  stuckAfterMinutes: number,
  logger: Pick<Logger, 'warn'>,
): Promise<Record<StuckKind, StuckItem[]>> {
  const found = await findStuck(db, stuckAfterMinutes, REPORT_LIMIT);
  const byKind = Object.fromEntries(STUCK_KINDS.map((k) => [k, [] as StuckItem[]])) as Record<StuckKind, StuckItem[]>;
  for (const item of found) byKind[item.kind].push(item);
  for (const kind of STUCK_KINDS) {
    const items = byKind[kind];
    if (items.length === 0) continue;
    logger.warn(
      {
        job: 'monitoring.stuck_orders',
        kind,
        count: items.length,
        items: items.map((i) => ({ tenant_id: i.tenant_id, ref: i.ref, since: i.since.toISOString() })),
      },
      'sales stuck half-done',
    );
  }
  return byKind;
}

/** The watchdog as a cron schedule of the one job queue (`monitoring.stuck_orders`, WATCHDOG_SCHEDULE). */
export function watchdogSchedules(
  db: Queryable,
  options: { schedule: string; stuckAfterMinutes: number },
  logger: Pick<Logger, 'warn'>,
): ScheduleDefinition[] {
  return [
    {
      name: 'monitoring.stuck_orders',
      schedule: options.schedule,
      run: async () => {
        await runWatchdog(db, options.stuckAfterMinutes, logger);
      },
    },
  ];
}

const gauged = new WeakSet<Registry>();

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the stuck-order figures took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `orders_stuck{kind}` and `orders_stuck_oldest_age_seconds{kind}`, read from the database at each scrape with the
 * watchdog's own query (every process reports the same figures: combine instances with `max`). Every kind is
 * reported, 0 when none is stuck, so an alert sees the series fall back.
 */
export function registerStuckOrderGauges(
  registry: Registry,
  db: Queryable,
  stuckAfterMinutes: number,
  onError: (err: Error) => void = () => undefined,
): void {
  if (gauged.has(registry)) return;
  gauged.add(registry);
  let last: { at: number; figures: ReturnType<typeof countStuck> } | undefined;
  const read = (): ReturnType<typeof countStuck> => {
    if (last === undefined || Date.now() - last.at > 1000) {
      last = { at: Date.now(), figures: withDeadline(countStuck(db, stuckAfterMinutes), SCRAPE_QUERY_MS) };
    }
    return last.figures;
  };
  new Gauge({
    name: 'orders_stuck',
    help: 'Sales stuck half-done longer than WATCHDOG_STUCK_MINUTES, by kind (docs/operations.md)',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      try {
        const figures = await read();
        for (const kind of STUCK_KINDS) this.set({ kind }, figures.find((f) => f.kind === kind)?.count ?? 0);
      } catch (err) {
        onError(err as Error);
      }
    },
  });
  new Gauge({
    name: 'orders_stuck_oldest_age_seconds',
    help: 'Seconds since the oldest stuck sale of each kind began (0 when none is stuck)',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      try {
        const figures = await read();
        for (const kind of STUCK_KINDS) {
          this.set({ kind }, figures.find((f) => f.kind === kind)?.oldest_seconds ?? 0);
        }
      } catch (err) {
        onError(err as Error);
      }
    },
  });
}

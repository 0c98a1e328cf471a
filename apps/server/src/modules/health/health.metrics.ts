import type { BaseLogger } from 'pino';
import type pg from 'pg';
import type { Database } from '../../platform/db/database.ts';
import { countOutboxBacklog } from '../../platform/events/index.ts';
import type { Metrics } from '../../platform/metrics.ts';

/** A scrape must stay fast even when the database is slow: the backlog count gets this long, then keeps its value. */
const BACKLOG_QUERY_MS = 2000;

function setPoolGauges(metrics: Metrics, name: 'app' | 'system', pool: pg.Pool): void {
  metrics.dbPool.set({ pool: name, state: 'total' }, pool.totalCount);
  metrics.dbPool.set({ pool: name, state: 'idle' }, pool.idleCount);
  metrics.dbPool.set({ pool: name, state: 'waiting' }, pool.waitingCount);
  metrics.dbPool.set({ pool: name, state: 'max' }, pool.options.max);
}

/** The events module counts its backlog; a scrape gives it BACKLOG_QUERY_MS. */
async function countBacklog(pool: pg.Pool): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`the outbox backlog count took longer than ${BACKLOG_QUERY_MS} ms`));
    }, BACKLOG_QUERY_MS);
  });
  try {
    return await Promise.race([countOutboxBacklog(pool), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Brings the gauges that describe this moment up to date just before a scrape: connections of both pools and the
 * outbox backlog. A failed backlog count keeps the last value and is logged; /metrics still answers, since a
 * scrape that fails would hide every other metric exactly when they matter.
 */
export async function refreshScrapeGauges(
  deps: { readonly db: Database; readonly metrics: Metrics },
  log: Pick<BaseLogger, 'info' | 'warn'>,
): Promise<void> {
  try {
    deps.metrics.outboxBacklog.set(await countBacklog(deps.db.system));
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'could not count the outbox backlog for /metrics');
  }
  // After the count, so the system pool's figures include the connection the count used.
  setPoolGauges(deps.metrics, 'app', deps.db.app);
  setPoolGauges(deps.metrics, 'system', deps.db.system);
}

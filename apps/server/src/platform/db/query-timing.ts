import { performance } from 'node:perf_hooks';
import type pg from 'pg';

/** One kind of slow statement, as /v1/monitoring/performance lists it. */
export interface SlowQuery {
  readonly query: string;
  readonly calls: number;
  readonly mean_ms: number;
  readonly max_ms: number;
  readonly last_seen: string;
}

const MAX_KINDS = 100;
const MAX_TEXT = 300;

/**
 * The app's own timing of queries, for servers without pg_stat_statements: every statement of our pools is timed
 * (two clock reads), and those at or above `thresholdMs` are aggregated by their SQL text (parameters are never
 * kept: they can carry personal data). At most 100 kinds are kept; past that, new kinds are dropped and counted.
 */
export class SlowQueryLog {
  thresholdMs = 1000;
  dropped = 0;
  /** Statements at or above the threshold since start (db_slow_queries_total). */
  slowCount = 0;
  private readonly kinds = new Map<string, { calls: number; totalMs: number; maxMs: number; last: number }>();

  record(text: string, ms: number): void {
    if (ms < this.thresholdMs) return;
    this.slowCount++;
    // Literals go too: a statement sent with its parameters inlined (tenantStatement) must not leave them here.
    const key = text
      .replace(/E?'(?:[^']|'')*'/g, '?')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, MAX_TEXT);
    let kind = this.kinds.get(key);
    if (kind === undefined) {
      if (this.kinds.size >= MAX_KINDS) {
        this.dropped++;
        return;
      }
      kind = { calls: 0, totalMs: 0, maxMs: 0, last: 0 };
      this.kinds.set(key, kind);
    }
    kind.calls++;
    kind.totalMs += ms;
    kind.maxMs = Math.max(kind.maxMs, ms);
    kind.last = Date.now();
  }

  /** The slowest kinds by mean time, at most `limit`. */
  top(limit: number): SlowQuery[] {
    return [...this.kinds.entries()]
      .map(([query, k]) => ({
        query,
        calls: k.calls,
        mean_ms: Math.round((k.totalMs / k.calls) * 10) / 10,
        max_ms: Math.round(k.maxMs * 10) / 10,
        last_seen: new Date(k.last).toISOString(),
      }))
      .sort((a, b) => b.mean_ms - a.mean_ms)
      .slice(0, limit);
  }
}

const logs = new WeakMap<pg.Pool, SlowQueryLog>();

function textOf(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { text?: unknown }).text === 'string') {
    return (arg as { text: string }).text;
  }
  return '(unknown statement)';
}

/** Times every promise-returning query of the pool's clients (wrapped once per connection, as it is made). */
export function timeQueries(pool: pg.Pool, log: SlowQueryLog): void {
  logs.set(pool, log);
  pool.on('connect', (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const started = performance.now();
      const done = () => log.record(textOf(args[0]), performance.now() - started);
      // pool.query() passes a callback; transactions use the promise form.
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (...results: unknown[]) => {
          done();
          return (callback as (...r: unknown[]) => unknown)(...results);
        };
        return original(...args);
      }
      const result = original(...args);
      if (result instanceof Promise) result.then(done, done);
      return result;
    }) as typeof client.query;
  });
}

/** The slow-query log of a pool made by createDatabase. */
export function slowQueryLogOf(pool: pg.Pool): SlowQueryLog | undefined {
  return logs.get(pool);
}

import pg from 'pg';
import { ChangeFeed } from './change-feed.ts';
import { SlowQueryLog, timeQueries } from './query-timing.ts';

/** Something that runs SQL: a pool, or the client of an open transaction. Repositories take one of these. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

const PREPARED = new Map<string, string>();

/**
 * Marks a hot statement to be prepared once per connection, by name, and then only bound and executed: the
 * server parses and plans it once instead of on every sale. Returns the text unchanged; transactions (tx.ts)
 * look the text up. Names must be unique; the text must not change at run time.
 */
export function prepared(name: string, text: string): string {
  const known = PREPARED.get(text);
  if (known !== undefined && known !== name) throw new Error(`statement prepared twice: ${known} and ${name}`);
  PREPARED.set(text, name);
  return text;
}

/** The name a statement was prepared under, if any. */
export function preparedName(text: string): string | undefined {
  return PREPARED.get(text);
}

/**
 * The two connection pools.
 * - `app`: every request handler. Its sessions run as `novapos_app`, to which row-level security applies.
 * - `system`: the table owner. Only migrations, the outbox relay, cross-tenant jobs and the CLI use it.
 */
export interface Database {
  readonly app: pg.Pool;
  readonly system: pg.Pool;
  /** Changes of pricing data announced by the database (LISTEN/NOTIFY); caches of that data follow it. */
  readonly pricingChanges: ChangeFeed;
  /** Starts hearing other processes' changes (the server and tests do; one-shot CLI commands need not). */
  listenForChanges(): void;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** The owner's connection string (DATABASE_URL, or the embedded superuser). */
  readonly ownerUrl: string;
  /** A login that is a member of novapos_app; when absent, owner connections `SET ROLE novapos_app`. */
  readonly appUrl?: string | undefined;
  readonly poolMax: number;
  readonly applicationName?: string;
  /** Told when an idle pooled connection fails (e.g. the database restarted); the pool replaces it. */
  readonly onIdleError?: (err: Error) => void;
}

// Timestamps stay Date objects (the driver's default); bigint counts (int8) become numbers where they are safe.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});

export function createDatabase(options: DatabaseOptions): Database {
  const name = options.applicationName ?? 'novapos';
  const appOptions = [
    options.appUrl === undefined ? '-c role=novapos_app' : '',
    // A runaway query must not hold a till hostage.
    '-c statement_timeout=30000',
    '-c idle_in_transaction_session_timeout=60000',
  ]
    .filter((s) => s !== '')
    .join(' ');
  const app = new pg.Pool({
    connectionString: options.appUrl ?? options.ownerUrl,
    max: options.poolMax,
    application_name: `${name}-app`,
    options: appOptions,
  });
  const system = new pg.Pool({
    connectionString: options.ownerUrl,
    max: Math.max(2, Math.ceil(options.poolMax / 4)),
    application_name: `${name}-system`,
  });
  // An idle client that loses its connection (database restart) must not crash the process; the pool replaces it.
  const onIdleError = options.onIdleError ?? (() => undefined);
  app.on('error', onIdleError);
  system.on('error', onIdleError);
  const pricingChanges = new ChangeFeed();
  // Both pools feed one slow-query log (/v1/monitoring/performance when pg_stat_statements is not available).
  const slow = new SlowQueryLog();
  timeQueries(app, slow);
  timeQueries(system, slow);
  return {
    app,
    system,
    pricingChanges,
    listenForChanges: () => {
      pricingChanges.listen(options.ownerUrl, onIdleError);
    },
    close: async () => {
      await pricingChanges.stop();
      await Promise.all([app.end(), system.end()]);
    },
  };
}

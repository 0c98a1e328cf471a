// A declared read model: monitoring owns no table. It counts rows of orders (orders) and payments
// (payment_intents) per window for the business metrics, read-only, and reads PostgreSQL's own statistics.
// Listed with the other read models in docs/architecture.md ("Table owners").
import type { Queryable } from '../../platform/db/database.ts';

/**
 * Business figures over a window. Run inside a tenant transaction (row-level security limits them to that tenant)
 * or on the system pool (every tenant: the platform view).
 */
export interface HourRow {
  hour: Date;
  currency: string;
  orders: number;
  revenue_cents: number;
}

/** Completed orders and their revenue per UTC hour and currency, hours without orders included as zero. */
export async function ordersPerHour(db: Queryable, from: Date, to: Date): Promise<HourRow[]> {
  const { rows } = await db.query<HourRow>(
    `SELECT date_trunc('hour', completed_at) AS hour, currency, count(*)::int AS orders,
            sum(total_cents)::bigint AS revenue_cents
     FROM orders
     WHERE status = 'completed' AND completed_at >= $1 AND completed_at < $2
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [from, to],
  );
  return rows;
}

export async function voidedCount(db: Queryable, from: Date, to: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM orders WHERE status = 'voided' AND voided_at >= $1 AND voided_at < $2`,
    [from, to],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Card payment attempts and failures of intents created in the window. A declined or failed authorization leaves
 * the intent `created` with `last_error`; any other state past `created` was authorized.
 */
export async function paymentAttempts(
  db: Queryable,
  from: Date,
  to: Date,
): Promise<{ attempts: number; failures: number }> {
  const { rows } = await db.query<{ attempts: number; failures: number }>(
    `SELECT count(*) FILTER (WHERE state <> 'created' OR last_error IS NOT NULL)::int AS attempts,
            count(*) FILTER (WHERE state = 'created' AND last_error IS NOT NULL)::int AS failures
     FROM payment_intents WHERE created_at >= $1 AND created_at < $2`,
    [from, to],
  );
  return rows[0] ?? { attempts: 0, failures: 0 };
}

export interface StatementRow {
  query: string;
  calls: number;
  mean_ms: number;
  max_ms: number;
}

/** pg_stat_statements' slowest statements of this database, when the extension is installed and readable. */
export async function statStatements(
  db: Queryable,
  thresholdMs: number,
  limit: number,
): Promise<StatementRow[] | undefined> {
  const { rows: ext } = await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'`);
  if (ext.length === 0) return undefined;
  try {
    const { rows } = await db.query<StatementRow>(
      `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 300) AS query, calls::int AS calls,
              round(mean_exec_time::numeric, 1)::float8 AS mean_ms, round(max_exec_time::numeric, 1)::float8 AS max_ms
       FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND mean_exec_time >= $1
       ORDER BY mean_exec_time DESC LIMIT $2`,
      [thresholdMs, limit],
    );
    return rows;
  } catch {
    // Installed but not preloaded (shared_preload_libraries), or not readable: fall back to the app's timings.
    return undefined;
  }
}

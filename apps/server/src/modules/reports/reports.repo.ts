// A declared read model: reports owns no table. It reads orders' tables (orders, order_lines, order_tenders) in
// aggregate, read-only, for the back office's figures; places and the tenant's zone come from tenancy's index.
// Listed with the other read models in docs/architecture.md ("Table owners").
import type { Queryable } from '../../platform/db/database.ts';

/**
 * Every query of the reports: read-only aggregates over orders, lines and tenders, under the tenant's row-level
 * security. `locations` narrows to those locations; null reads every location of the tenant. Days and hours are
 * local to `tz`, an IANA zone read from a location or the tenant (never from the client).
 */
export interface Scope {
  readonly tz: string;
  readonly locations: readonly string[] | null;
}

/** The location filter on orders `o`, its uuid[] (or null) being parameter $n. */
function inScope(n: number): string {
  return `($${n}::uuid[] IS NULL OR o.location_id = ANY ($${n}::uuid[]))`;
}

export interface DayBounds {
  date: string;
  start: Date;
  end: Date;
}

/** Today in the zone: its date and the instants its first and the next day's first moment fall on. */
export async function today(tx: Queryable, tz: string): Promise<DayBounds> {
  const { rows } = await tx.query<DayBounds>(
    `SELECT to_char(d, 'YYYY-MM-DD') AS date, d AT TIME ZONE $1 AS start, (d + interval '1 day') AT TIME ZONE $1 AS end
       FROM (SELECT date_trunc('day', now() AT TIME ZONE $1) AS d) day`,
    [tz],
  );
  return rows[0] as DayBounds;
}

export interface SalesTotalsRow {
  orders: number;
  sales_cents: string;
  tax_cents: string;
  discount_cents: string;
  items_sold: string;
  voided_orders: number;
  voided_cents: string;
}

/**
 * Sales completed in [start, end) and not voided since, and sales voided in that span. A parked ticket that was
 * thrown away (voided while open) never sold anything, so it counts in neither.
 */
export async function salesTotals(tx: Queryable, scope: Scope, day: DayBounds): Promise<SalesTotalsRow> {
  const { rows } = await tx.query<SalesTotalsRow>(
    `WITH sold AS (
       SELECT o.id, o.total_cents, o.tax_cents, o.discount_cents FROM orders o
        WHERE o.status = 'completed' AND o.completed_at >= $2 AND o.completed_at < $3 AND ${inScope(1)}
     ), voided AS (
       SELECT o.total_cents FROM orders o
        WHERE o.status = 'voided' AND o.completed_at IS NOT NULL AND o.voided_at >= $2 AND o.voided_at < $3
          AND ${inScope(1)}
     )
     SELECT (SELECT count(*)::int FROM sold) AS orders,
            (SELECT coalesce(sum(total_cents), 0) FROM sold) AS sales_cents,
            (SELECT coalesce(sum(tax_cents), 0) FROM sold) AS tax_cents,
            (SELECT coalesce(sum(discount_cents), 0) FROM sold) AS discount_cents,
            (SELECT coalesce(sum(l.quantity), 0) FROM order_lines l JOIN sold ON sold.id = l.order_id) AS items_sold,
            (SELECT count(*)::int FROM voided) AS voided_orders,
            (SELECT coalesce(sum(total_cents), 0) FROM voided) AS voided_cents`,
    [scope.locations, day.start, day.end],
  );
  return rows[0] as SalesTotalsRow;
}

/** What each tender method paid towards the sales completed in [start, end) (change excluded). */
export async function tenderTotals(
  tx: Queryable,
  scope: Scope,
  day: DayBounds,
): Promise<{ method: string; amount_cents: string; count: number }[]> {
  const { rows } = await tx.query<{ method: string; amount_cents: string; count: number }>(
    `SELECT t.method, sum(t.applied_cents) AS amount_cents, count(*)::int AS count
       FROM order_tenders t JOIN orders o ON o.id = t.order_id
      WHERE o.status = 'completed' AND o.completed_at >= $2 AND o.completed_at < $3 AND ${inScope(1)}
      GROUP BY t.method ORDER BY t.method`,
    [scope.locations, day.start, day.end],
  );
  return rows;
}

export interface HourRow {
  date: string;
  hour: number;
  orders: number;
  sales_cents: string;
}

/**
 * Sales per local hour over `days` days ending with today, every hour of those days present (later hours of today
 * as zeros). Hours are local wall-clock hours: on a DST change the skipped hour stays empty and the repeated hour
 * holds both.
 */
export async function salesByHour(tx: Queryable, scope: Scope, days: number): Promise<HourRow[]> {
  const { rows } = await tx.query<HourRow>(
    `WITH span AS (
       SELECT date_trunc('day', now() AT TIME ZONE $1) - ($3::int - 1) * interval '1 day' AS first_day,
              date_trunc('day', now() AT TIME ZONE $1) + interval '23 hours' AS last_hour
     ), hours AS (
       SELECT generate_series(first_day, last_hour, interval '1 hour') AS local_hour FROM span
     ), sales AS (
       SELECT date_trunc('hour', o.completed_at AT TIME ZONE $1) AS local_hour,
              count(*)::int AS orders, sum(o.total_cents) AS sales_cents
         FROM orders o, span
        WHERE o.status = 'completed' AND o.completed_at >= span.first_day AT TIME ZONE $1 AND ${inScope(2)}
        GROUP BY 1
     )
     SELECT to_char(h.local_hour, 'YYYY-MM-DD') AS date, extract(hour FROM h.local_hour)::int AS hour,
            coalesce(s.orders, 0) AS orders, coalesce(s.sales_cents, 0) AS sales_cents
       FROM hours h LEFT JOIN sales s USING (local_hour)
      ORDER BY h.local_hour`,
    [scope.tz, scope.locations, days],
  );
  return rows;
}

import type { Queryable } from '../platform/db/database.ts';

// The SQL of the demo seed: what the tenant already has, and the one statement that moves the demo's sales into
// the past. Reads run in a tenant transaction (row-level security applies); the backdating runs as the owner.
// A declared cross-owner model, DEMO ONLY (docs/architecture.md, "Table owners"): the demo is no module; it reads
// what any module's tables hold (tenant, places, staff, products) to decide what to add, and its backdating
// rewrites the times of orders, tenders and stock movements in one statement, which no module's function does.
// Everything the demo creates goes through the modules' own use cases.

export interface TenantFacts {
  readonly name: string;
  readonly timezone: string;
  /** Products of any state, archived ones included. */
  readonly products: number;
}

/** The tenant of the transaction, or undefined when it does not exist. */
export async function tenantFacts(tx: Queryable): Promise<TenantFacts | undefined> {
  const { rows } = await tx.query<TenantFacts>(
    `SELECT t.name, t.timezone, (SELECT count(*)::int FROM products) AS products
       FROM tenants t WHERE t.id = app_current_tenant()`,
  );
  return rows[0];
}

export interface PlaceRow {
  readonly id: string;
  readonly name: string;
  /** For registers: their location. */
  readonly location_id: string;
}

/** Active locations, oldest first (ids are UUIDv7), with all their names (archived ones count for uniqueness). */
export async function locations(
  tx: Queryable,
): Promise<{ active: (PlaceRow & { address_lines: string[] })[]; names: string[] }> {
  const { rows } = await tx.query<PlaceRow & { address_lines: string[]; archived: boolean }>(
    `SELECT id, name, id AS location_id, address_lines, archived_at IS NOT NULL AS archived FROM locations ORDER BY id`,
  );
  return { active: rows.filter((r) => !r.archived), names: rows.map((r) => r.name) };
}

/** Registers of active locations, oldest first, with all their names. */
export async function registers(tx: Queryable): Promise<{ active: PlaceRow[]; all: PlaceRow[] }> {
  const { rows } = await tx.query<PlaceRow & { archived: boolean }>(
    `SELECT id, name, location_id, archived_at IS NOT NULL AS archived FROM registers ORDER BY id`,
  );
  return { active: rows.filter((r) => !r.archived), all: rows };
}

/**
 * The first active user of each role who may work at every location (no location scope): who rings up the demo's
 * sales (a cashier) and voids them (a manager).
 */
export async function unscopedStaff(tx: Queryable): Promise<{ id: string; roles: string[] }[]> {
  const { rows } = await tx.query<{ id: string; roles: string[] }>(
    `SELECT u.id, u.roles FROM users u
      WHERE u.active AND NOT EXISTS (SELECT 1 FROM user_locations ul WHERE ul.user_id = u.id)
      ORDER BY u.id`,
  );
  return rows;
}

export interface Backdating {
  readonly orderIds: readonly string[];
  readonly daysAgo: readonly number[];
  readonly secondsOfDay: readonly number[];
  /** The opening-stock adjustments: dated to the morning before the first day of sales. */
  readonly adjustmentIds: readonly string[];
  readonly firstDay: number;
}

/**
 * DEMO ONLY: moves the demo's sales into the past, in ONE statement on the system pool (the application role may
 * not rewrite history, and must not). Each order is dated `daysAgo` days before today, `secondsOfDay` after local
 * midnight in its location's time zone; its tenders 30 s later, its completion and stock movements 40 s later, a
 * void 4 min later; the opening stock at 06:30 the day before the first sale. The audit log keeps the real
 * time of each event: it is hash-chained, and rewriting it would be exactly the tampering it exists to catch.
 */
export async function backdateDemoActivity(tx: Queryable, b: Backdating): Promise<number> {
  const { rowCount } = await tx.query(
    `WITH plan AS (
       SELECT p.id, ((now() AT TIME ZONE l.timezone)::date - p.days_ago + p.secs * interval '1 second')
                      AT TIME ZONE l.timezone AS at
         FROM unnest($1::uuid[], $2::int[], $3::int[]) AS p (id, days_ago, secs)
         JOIN orders o ON o.id = p.id
         JOIN locations l ON l.id = o.location_id
     ), tenders AS (
       UPDATE order_tenders t SET created_at = plan.at + interval '30 seconds'
         FROM plan WHERE t.order_id = plan.id
     ), sales AS (
       UPDATE stock_movements m
          SET created_at = plan.at + CASE m.reason WHEN 'void' THEN interval '4 minutes' ELSE interval '40 seconds' END
         FROM plan WHERE m.reference_type = 'order' AND m.reference_id = plan.id
     ), opening AS (
       UPDATE stock_movements m
          SET created_at = ((now() AT TIME ZONE l.timezone)::date - $5::int - 1 + interval '6 hours 30 minutes')
                             AT TIME ZONE l.timezone
         FROM locations l
        WHERE m.reference_type = 'stock_adjustment' AND m.reference_id = ANY ($4::uuid[]) AND l.id = m.location_id
     )
     UPDATE orders o
        SET created_at = plan.at,
            completed_at = CASE WHEN o.completed_at IS NULL THEN NULL ELSE plan.at + interval '40 seconds' END,
            voided_at = CASE WHEN o.voided_at IS NULL THEN NULL ELSE plan.at + interval '4 minutes' END,
            updated_at = plan.at + CASE WHEN o.voided_at IS NULL THEN interval '40 seconds' ELSE interval '4 minutes' END
       FROM plan WHERE o.id = plan.id`,
    [b.orderIds, b.daysAgo, b.secondsOfDay, b.adjustmentIds, b.firstDay],
  );
  return rowCount ?? 0;
}

import type { RequestContext } from '../../platform/context.ts';
import { requireTenant } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';

// What other modules read about a tenant's places (its name, a store, a till), each in one statement. The SQL is
// tenancy's, as the tables are; the sale path (orders) and the till (pos, receipts) call these instead of joining
// registers, locations and tenants themselves, at the same cost: one round trip each.

/** An active register and whether its location is archived: where a sale may be rung up (orders). */
export interface ActiveRegisterRow {
  readonly id: string;
  readonly location_id: string;
  readonly location_archived: boolean;
}

/** A register's location, if the register is active (archived registers and unknown ids: undefined). */
export async function findActiveRegister(tx: Queryable, id: string): Promise<ActiveRegisterRow | undefined> {
  const { rows } = await tx.query<ActiveRegisterRow>(
    `SELECT r.id, r.location_id, (l.archived_at IS NOT NULL) AS location_archived
       FROM registers r JOIN locations l ON l.id = r.location_id
      WHERE r.id = $1 AND r.archived_at IS NULL`,
    [id],
  );
  return rows[0];
}

/** A register with its location and the business, as the till shows them (pos's pricing context). */
export interface TillRegisterRow {
  readonly register_id: string;
  readonly register_name: string;
  readonly location_id: string;
  readonly location_name: string;
  readonly time_zone: string;
  readonly business_name: string;
  readonly address_lines: string[];
  readonly receipt_footer_lines: string[];
  /** The tenant's offline sign-in grace window in hours (migration 0019); 0: off. */
  readonly offline_signin_grace_hours: number;
  /** The register or its location is archived. */
  readonly archived: boolean;
}

export async function findTillRegister(tx: Queryable, registerId: string): Promise<TillRegisterRow | undefined> {
  const { rows } = await tx.query<TillRegisterRow>(
    `SELECT r.id AS register_id, r.name AS register_name, l.id AS location_id, l.name AS location_name,
            l.timezone AS time_zone, t.name AS business_name,
            l.address_lines, t.receipt_footer_lines, t.offline_signin_grace_hours,
            (r.archived_at IS NOT NULL OR l.archived_at IS NOT NULL) AS archived
       FROM registers r JOIN locations l ON l.id = r.location_id JOIN tenants t ON t.id = r.tenant_id
      WHERE r.id = $1`,
    [registerId],
  );
  return rows[0];
}

/**
 * The names a receipt prints around an order: the business, the store (its time zone and address), the till, and
 * the tenant's footer.
 */
export interface ReceiptNamesRow {
  business_name: string;
  location_name: string;
  time_zone: string;
  /** The location's address (migration 0016). */
  address_lines: string[];
  /** The tenant's own footer; empty: the default one. */
  tenant_footer_lines: string[];
  /** Null only if the register row is not visible (it always is for an order of this tenant). */
  register_name: string | null;
}

/** Tenant, location and register names, the store's address and the tenant's footer, in one read (receipts). */
export async function findReceiptNames(
  tx: Queryable,
  ctx: RequestContext,
  locationId: string,
  registerId: string,
): Promise<ReceiptNamesRow | undefined> {
  const { rows } = await tx.query<ReceiptNamesRow>(
    `SELECT t.name AS business_name, l.name AS location_name, l.timezone AS time_zone, r.name AS register_name,
            l.address_lines, t.receipt_footer_lines AS tenant_footer_lines
       FROM tenants t
       JOIN locations l ON l.tenant_id = t.id AND l.id = $2
       LEFT JOIN registers r ON r.tenant_id = t.id AND r.id = $3
      WHERE t.id = $1`,
    [requireTenant(ctx), locationId, registerId],
  );
  return rows[0];
}

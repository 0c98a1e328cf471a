import type { RequestContext } from '../../platform/context.ts';
import { requireTenant } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';

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

/** Tenant, location and register names, the store's address and the tenant's footer, in one read. */
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

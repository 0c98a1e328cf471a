import type { RequestContext } from '../../platform/context.ts';
import { requireTenant } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';

/** The names a receipt prints around an order: the business, the store (and its time zone), the till. */
export interface ReceiptNamesRow {
  business_name: string;
  location_name: string;
  time_zone: string;
  /** Null only if the register row is not visible (it always is for an order of this tenant). */
  register_name: string | null;
}

/** Tenant, location and register names of an order's location and register, in one read. */
export async function findReceiptNames(
  tx: Queryable,
  ctx: RequestContext,
  locationId: string,
  registerId: string,
): Promise<ReceiptNamesRow | undefined> {
  const { rows } = await tx.query<ReceiptNamesRow>(
    `SELECT t.name AS business_name, l.name AS location_name, l.timezone AS time_zone, r.name AS register_name
       FROM tenants t
       JOIN locations l ON l.tenant_id = t.id AND l.id = $2
       LEFT JOIN registers r ON r.tenant_id = t.id AND r.id = $3
      WHERE t.id = $1`,
    [requireTenant(ctx), locationId, registerId],
  );
  return rows[0];
}

// The SQL of tax_rate_overrides, the one table tax owns. Places (locations, registers) are tenancy's: read
// through tenancy's index, except the one declared read in findOverrideRates (the sale path).
import type { RequestContext } from '../../platform/context.ts';
import { requireTenant } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';

export interface TaxRateOverrideRow {
  id: string;
  tenant_id: string;
  location_id: string | null;
  register_id: string | null;
  rate_bps: number;
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
}

/** The scope of an override: both null is the tenant's, else exactly one is set (a CHECK in the table says so). */
export interface OverrideScopeKey {
  readonly locationId: string | null;
  readonly registerId: string | null;
}

/**
 * Filters of a list: `scope` null means every location, else those locations and `scopeRegisterIds`, the
 * registers at them; `locationId` null means any, else that location and `locationRegisterIds`, its registers.
 * `after` is the last id of the previous page.
 */
export interface OverrideListWindow {
  readonly scope: readonly string[] | null;
  readonly scopeRegisterIds: readonly string[];
  readonly locationId: string | null;
  readonly locationRegisterIds: readonly string[];
  readonly registerId: string | null;
  readonly after: string | null;
  readonly limit: number;
}

/**
 * Overrides in id order, `limit + 1` rows. A register override belongs to its register's location, both for the
 * actor's location scope (the tenant-wide override is visible to everyone: it applies to their locations too) and
 * for the `locationId` filter; the caller names the registers of those locations (tenancy knows them).
 */
export async function listOverrides(tx: Queryable, w: OverrideListWindow): Promise<TaxRateOverrideRow[]> {
  const { rows } = await tx.query<TaxRateOverrideRow>(
    `SELECT o.* FROM tax_rate_overrides o
      WHERE ($1::uuid[] IS NULL
             OR (o.location_id IS NULL AND o.register_id IS NULL)
             OR o.location_id = ANY($1::uuid[]) OR o.register_id = ANY($2::uuid[]))
        AND ($3::uuid IS NULL OR o.location_id = $3::uuid OR o.register_id = ANY($4::uuid[]))
        AND ($5::uuid IS NULL OR o.register_id = $5::uuid)
        AND ($6::uuid IS NULL OR o.id > $6::uuid)
      ORDER BY o.id LIMIT $7`,
    [w.scope, w.scopeRegisterIds, w.locationId, w.locationRegisterIds, w.registerId, w.after, w.limit + 1],
  );
  return rows;
}

/** The override of one scope, locked for update when it exists (the caller is about to replace it). */
export async function findOverrideForScope(
  tx: Queryable,
  key: OverrideScopeKey,
): Promise<TaxRateOverrideRow | undefined> {
  const { rows } = await tx.query<TaxRateOverrideRow>(
    `SELECT * FROM tax_rate_overrides
      WHERE location_id IS NOT DISTINCT FROM $1::uuid AND register_id IS NOT DISTINCT FROM $2::uuid
      FOR UPDATE`,
    [key.locationId, key.registerId],
  );
  return rows[0];
}

/**
 * Inserts the override of a scope unless one exists; undefined when a concurrent transaction created it first
 * (the unique index on the scope, NULLS NOT DISTINCT, makes the loser wait and then do nothing).
 */
export async function insertOverrideIfAbsent(
  tx: Queryable,
  ctx: RequestContext,
  o: OverrideScopeKey & { id: string; rateBps: number },
): Promise<TaxRateOverrideRow | undefined> {
  const { rows } = await tx.query<TaxRateOverrideRow>(
    `INSERT INTO tax_rate_overrides (id, tenant_id, location_id, register_id, rate_bps, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT DO NOTHING RETURNING *`,
    [o.id, requireTenant(ctx), o.locationId, o.registerId, o.rateBps, ctx.actorId ?? null],
  );
  return rows[0];
}

export async function updateOverrideRate(
  tx: Queryable,
  ctx: RequestContext,
  id: string,
  rateBps: number,
): Promise<TaxRateOverrideRow> {
  const { rows } = await tx.query<TaxRateOverrideRow>(
    'UPDATE tax_rate_overrides SET rate_bps = $2, updated_by = $3, updated_at = now() WHERE id = $1 RETURNING *',
    [id, rateBps, ctx.actorId ?? null],
  );
  return rows[0] as TaxRateOverrideRow;
}

/** One override, locked for update (the caller is about to delete it). */
export async function findOverride(tx: Queryable, id: string): Promise<TaxRateOverrideRow | undefined> {
  const { rows } = await tx.query<TaxRateOverrideRow>('SELECT * FROM tax_rate_overrides WHERE id = $1 FOR UPDATE', [
    id,
  ]);
  return rows[0];
}

export async function deleteOverride(tx: Queryable, id: string): Promise<void> {
  await tx.query('DELETE FROM tax_rate_overrides WHERE id = $1', [id]);
}

// ---- resolution for a sale ---------------------------------------------------------------------------------

/** The override rates that can apply to one sale; null where that scope has none. */
export interface OverrideRates {
  register_bps: number | null;
  location_bps: number | null;
  tenant_bps: number | null;
}

/**
 * The register's, the location's and the tenant's override in one round trip. The location is `locationId` when
 * given, else the register's own location, so a till that sends only its register id still gets its store's rate.
 * The tenant id is repeated in each lookup (row-level security filters too) so each uses the scope index.
 *
 * Declared cross-owner read: the subquery reads `registers.location_id` (tenancy's table) so that the sale path
 * stays one round trip; asking tenancy first would add one to every uncached price (docs/architecture.md).
 */
export async function findOverrideRates(
  tx: Queryable,
  ctx: RequestContext,
  at: { locationId: string | null; registerId: string | null },
): Promise<OverrideRates> {
  const { rows } = await tx.query<OverrideRates>(
    `SELECT
       (SELECT rate_bps FROM tax_rate_overrides
         WHERE tenant_id = $1 AND location_id IS NULL AND register_id = $3::uuid) AS register_bps,
       (SELECT rate_bps FROM tax_rate_overrides
         WHERE tenant_id = $1 AND register_id IS NULL
           AND location_id = COALESCE($2::uuid, (SELECT location_id FROM registers WHERE id = $3::uuid)))
         AS location_bps,
       (SELECT rate_bps FROM tax_rate_overrides
         WHERE tenant_id = $1 AND location_id IS NULL AND register_id IS NULL) AS tenant_bps`,
    [requireTenant(ctx), at.locationId, at.registerId],
  );
  return rows[0] as OverrideRates;
}

import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { afterIdCursor, toPage } from '../../platform/http/pagination.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { findLocation, findRegister, findRegisterIdsAt } from '../tenancy/index.ts';
import * as repo from './tax.repo.ts';
import type {
  SetTaxRateOverrideInput,
  TaxRateOverrideDto,
  TaxRateOverrideListInput,
  TaxRateScope,
} from './tax.schemas.ts';

const DEFAULT_LIMIT = 50;

function scopeOfRow(row: repo.TaxRateOverrideRow): TaxRateScope {
  if (row.register_id !== null) return 'register';
  return row.location_id !== null ? 'location' : 'tenant';
}

function toDto(row: repo.TaxRateOverrideRow): TaxRateOverrideDto {
  return {
    id: row.id,
    scope: scopeOfRow(row),
    location_id: row.location_id,
    register_id: row.register_id,
    rate_bps: row.rate_bps,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    updated_by: row.updated_by,
  };
}

/**
 * Whether the actor may change an override that applies at `locationId` (null: tenant-wide). An actor with a
 * location scope works for some stores only, so a tenant-wide rate, which reaches every store, is not theirs.
 */
function mayChange(ctx: RequestContext, locationId: string | null): boolean {
  if (ctx.locationIds.length === 0) return true;
  return locationId !== null && ctx.locationIds.includes(locationId);
}

function outOfScope(): AppError {
  return new AppError('forbidden', 'You may only change tax rates of the locations you work at');
}

/**
 * Checks the place an override names: 404 for an id that is not the tenant's (row-level security hides other
 * tenants' rows) or an archived register, 409 for an archived location, 403 outside the actor's location scope.
 */
async function checkPlace(tx: Tx, ctx: RequestContext, key: repo.OverrideScopeKey): Promise<void> {
  let locationId: string | null = null;
  if (key.registerId !== null) {
    const register = await findRegister(tx, key.registerId, 'share');
    if (register === undefined || register.archived_at !== null) {
      throw new AppError('register_not_found', 'No active register of this tenant has this id');
    }
    locationId = register.location_id;
  } else if (key.locationId !== null) {
    const location = await findLocation(tx, key.locationId, 'share');
    if (location === undefined) throw new AppError('location_not_found', 'No location of this tenant has this id');
    if (location.archived_at !== null)
      throw new AppError('location_archived', 'This location is archived; it takes no tax rate');
    locationId = location.id;
  }
  if (!mayChange(ctx, locationId)) throw outOfScope();
}

/** Overrides the actor may see (all of them without a location scope), optionally of one location or register. */
export function listOverrides(
  db: Database,
  ctx: RequestContext,
  q: TaxRateOverrideListInput,
): Promise<{ data: TaxRateOverrideDto[]; next_cursor: string | null }> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const after = afterIdCursor(q.cursor);
  const scope = ctx.locationIds.length === 0 ? null : ctx.locationIds;
  const locationId = q.location_id ?? null;
  return tenantTx(db, ctx, async (tx) => {
    const rows = await repo.listOverrides(tx, {
      scope,
      scopeRegisterIds: scope === null ? [] : await findRegisterIdsAt(tx, scope),
      locationId,
      locationRegisterIds: locationId === null ? [] : await findRegisterIdsAt(tx, [locationId]),
      registerId: q.register_id ?? null,
      after,
      limit,
    });
    const page = toPage(rows, limit, (last) => ({ id: last.id }));
    return { data: page.data.map(toDto), next_cursor: page.next_cursor };
  });
}

/**
 * Sets the override of one scope (an upsert, as seed 000 has it: docs/sources.md): creates it (`created: true`) or replaces its rate. Setting
 * the rate it already has changes nothing and writes no audit event. Audited `tax_rate_override.set` with the
 * rate before (null when new) and after, in the same transaction.
 */
export function setOverride(
  db: Database,
  ctx: RequestContext,
  input: SetTaxRateOverrideInput,
): Promise<{ override: TaxRateOverrideDto; created: boolean }> {
  const key: repo.OverrideScopeKey = { locationId: input.location_id ?? null, registerId: input.register_id ?? null };
  if (key.locationId !== null && key.registerId !== null) {
    throw invalidField('register_id', 'must be null or absent when location_id is set (one scope per override)');
  }
  return tenantTx(db, ctx, async (tx) => {
    await checkPlace(tx, ctx, key);
    // Two attempts: when a concurrent request creates the same scope between our look and our insert, the insert
    // waits for it and does nothing, and the second look (a new statement) sees the committed row.
    for (let attempt = 0; attempt < 2; attempt++) {
      const existing = await repo.findOverrideForScope(tx, key);
      if (existing !== undefined) {
        if (existing.rate_bps === input.rate_bps) return { override: toDto(existing), created: false };
        const row = await repo.updateOverrideRate(tx, ctx, existing.id, input.rate_bps);
        await auditSet(tx, ctx, row, existing.rate_bps);
        return { override: toDto(row), created: false };
      }
      const row = await repo.insertOverrideIfAbsent(tx, ctx, { ...key, id: newId(), rateBps: input.rate_bps });
      if (row !== undefined) {
        await auditSet(tx, ctx, row, null);
        return { override: toDto(row), created: true };
      }
    }
    throw new AppError('conflict', 'The tax rate of this scope is being changed by another request; try again');
  });
}

async function auditSet(tx: Tx, ctx: RequestContext, row: repo.TaxRateOverrideRow, beforeBps: number | null) {
  await recordAudit(tx, ctx, {
    action: 'tax_rate_override.set',
    entityType: 'tax_rate_override',
    entityId: row.id,
    data: {
      scope: scopeOfRow(row),
      location_id: row.location_id,
      register_id: row.register_id,
      before_bps: beforeBps,
      after_bps: row.rate_bps,
    },
  });
}

/** Removes one override; sales there fall back to the next scope. Audited `tax_rate_override.deleted`. */
export function deleteOverride(db: Database, ctx: RequestContext, id: string): Promise<void> {
  return tenantTx(db, ctx, async (tx) => {
    const row = await repo.findOverride(tx, id);
    if (row === undefined) throw new AppError('tax_rate_override_not_found', 'No tax rate override has this id');
    // A register override applies at its register's location.
    const register = row.register_id === null ? undefined : await findRegister(tx, row.register_id);
    if (!mayChange(ctx, row.location_id ?? register?.location_id ?? null)) throw outOfScope();
    await repo.deleteOverride(tx, id);
    await recordAudit(tx, ctx, {
      action: 'tax_rate_override.deleted',
      entityType: 'tax_rate_override',
      entityId: id,
      data: {
        scope: scopeOfRow(row),
        location_id: row.location_id,
        register_id: row.register_id,
        before_bps: row.rate_bps,
      },
    });
  });
}

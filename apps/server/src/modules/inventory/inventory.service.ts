import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx, type Tx } from '../../platform/db/tx.ts';
import { AppError, invalidField, type FieldError } from '../../platform/errors.ts';
import { afterIdCursor, decodeCursor, toPage } from '../../platform/http/pagination.ts';
import { isUuid, newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { findLocation } from '../tenancy/index.ts';
import { applyStockMovements, getStockPolicy, settleLowStock, type StockLevel } from './inventory.engine.ts';
import * as lists from './inventory.list.repo.ts';
import * as repo from './inventory.repo.ts';
import type {
  AdjustmentInput,
  AdjustmentResultDto,
  InventoryItemDto,
  InventoryListInput,
  MovementDto,
  MovementListInput,
  StockLevelDto,
  ThresholdInput,
} from './inventory.schemas.ts';

const DEFAULT_LIMIT = 50;

function scopeOf(ctx: RequestContext): readonly string[] | null {
  return ctx.locationIds.length === 0 ? null : ctx.locationIds;
}

/**
 * A location the actor may work with: 404 when the tenant has no such location, 403 when it lies outside the
 * actor's location scope, and for writes 409 when it is archived.
 */
async function usableLocationRow(tx: Tx, ctx: RequestContext, id: string, forWrite: boolean) {
  // FOR SHARE: an archive of the location that runs now waits for our transaction, or we see it archived.
  const location = await findLocation(tx, id, 'share');
  if (location === undefined) throw new AppError('location_not_found', 'No location with this id');
  if (scopeOf(ctx)?.includes(location.id) === false) {
    throw new AppError('forbidden', 'You may only work with the stock of the locations you work at');
  }
  if (forWrite && location.archived_at !== null) {
    throw new AppError('location_archived', 'This location is archived; its stock no longer changes');
  }
  return location;
}

async function usableLocation(tx: Tx, ctx: RequestContext, id: string, forWrite: boolean): Promise<string> {
  return (await usableLocationRow(tx, ctx, id, forWrite)).id;
}

/** A reference to a variant by exactly one of SKU or id; `at` is where it sits in the body (`lines[3]`, or '' for the body itself). */
interface VariantRef {
  readonly at: string;
  readonly sku?: string | undefined;
  readonly variant_id?: string | undefined;
}

function fieldOf(ref: VariantRef, name: string): string {
  return ref.at === '' ? name : `${ref.at}.${name}`;
}

function checkOneOf(ref: VariantRef): void {
  if ((ref.sku === undefined) === (ref.variant_id === undefined)) {
    throw invalidField(ref.at === '' ? 'variant_id' : ref.at, 'name the variant by exactly one of sku or variant_id');
  }
}

/**
 * The variants of the references, in their order. Unknown SKUs are a 422 `unknown_sku` naming every such
 * field; unknown ids (another tenant's, too) a 404 `variant_not_found`.
 */
async function resolveVariants(tx: Tx, refs: readonly VariantRef[]): Promise<{ id: string; sku: string }[]> {
  const skus = [...new Set(refs.flatMap((r) => (r.sku === undefined ? [] : [r.sku])))];
  const ids = [...new Set(refs.flatMap((r) => (r.variant_id === undefined ? [] : [r.variant_id.toLowerCase()])))];
  const bySku = new Map((await repo.findVariantsBySku(tx, skus)).map((v) => [v.sku, v]));
  const byId = new Map((await repo.findVariantsById(tx, ids)).map((v) => [v.id, v]));
  const unknownSkus: FieldError[] = [];
  const unknownIds: FieldError[] = [];
  const found = refs.map((r) => {
    const variant = r.sku === undefined ? byId.get(r.variant_id?.toLowerCase() ?? '') : bySku.get(r.sku);
    if (variant === undefined && r.sku !== undefined) {
      unknownSkus.push({ field: fieldOf(r, 'sku'), message: `no variant of this tenant has SKU "${r.sku}"` });
    }
    if (variant === undefined && r.sku === undefined) {
      unknownIds.push({ field: fieldOf(r, 'variant_id'), message: 'is not a variant of this tenant' });
    }
    return variant;
  });
  if (unknownSkus.length > 0) {
    throw new AppError('unknown_sku', `Unknown SKU in ${unknownSkus.map((e) => e.field).join(', ')}`, {
      errors: unknownSkus,
    });
  }
  if (unknownIds.length > 0) {
    throw new AppError('variant_not_found', `Unknown variant in ${unknownIds.map((e) => e.field).join(', ')}`, {
      errors: unknownIds,
    });
  }
  return found as { id: string; sku: string }[];
}

function toLevelDto(level: StockLevel): StockLevelDto {
  return {
    variant_id: level.variantId,
    location_id: level.locationId,
    sku: level.sku,
    on_hand: level.onHand,
    low_stock_threshold: level.lowStockThreshold,
    below_threshold: level.belowThreshold,
  };
}

/**
 * Adjusts stock by hand (receipts, counts, damage, opening stock) under the tenant's stock policy: a take below
 * zero under `block` is 409 `insufficient_stock` and writes nothing. The movements share one reference
 * (`stock_adjustment`, the returned id) and one audit event `inventory.adjusted`.
 */
export function adjustStock(db: Database, ctx: RequestContext, input: AdjustmentInput): Promise<AdjustmentResultDto> {
  const refs = input.lines.map((line, i) => ({ ...line, at: `lines[${i}]` }));
  for (const ref of refs) {
    checkOneOf(ref);
    if (ref.delta === 0) throw invalidField(fieldOf(ref, 'delta'), 'must not be 0');
  }
  return tenantTx(db, ctx, async (tx) => {
    const locationId = await usableLocation(tx, ctx, input.location_id, true);
    const variants = await resolveVariants(tx, refs);
    const policy = await getStockPolicy(tx, ctx);
    const id = newId();
    const lines = input.lines.map((line, i) => {
      const variant = variants[i] as { id: string; sku: string };
      return { variantId: variant.id, sku: variant.sku, delta: line.delta, reason: line.reason, note: line.note };
    });
    const { levels } = await applyStockMovements(tx, ctx, {
      locationId,
      policy,
      reason: 'adjustment',
      reference: { type: 'stock_adjustment', id },
      lines: lines.map((l) => ({ ...l, label: l.sku })),
    });
    await recordAudit(tx, ctx, {
      action: 'inventory.adjusted',
      entityType: 'stock_adjustment',
      entityId: id,
      data: {
        location_id: locationId,
        policy,
        lines: lines.map((l) => ({
          variant_id: l.variantId,
          sku: l.sku,
          delta: l.delta,
          reason: l.reason,
          note: l.note ?? null,
        })),
        on_hand: levels.map((l) => ({ variant_id: l.variantId, on_hand: l.onHand })),
      },
    });
    return { id, location_id: locationId, levels: levels.map(toLevelDto) };
  });
}

function itemCursor(cursor: string | undefined): lists.ItemKey | null {
  if (cursor === undefined) return null;
  const key = decodeCursor(cursor, ['l', 's', 'v']);
  if (!isUuid(key.l) || !isUuid(key.v)) throw new AppError('invalid_cursor', 'The cursor is not one this API issued');
  return { locationId: key.l, sku: key.s, variantId: key.v };
}

/** Stock levels the actor may see (their locations), by location and SKU. */
export function listInventory(
  db: Database,
  ctx: RequestContext,
  q: InventoryListInput,
): Promise<{ data: InventoryItemDto[]; next_cursor: string | null }> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const after = itemCursor(q.cursor);
  return tenantTx(db, ctx, async (tx) => {
    const locationId = q.location_id === undefined ? null : await usableLocation(tx, ctx, q.location_id, false);
    const rows = await lists.listItems(tx, {
      scope: scopeOf(ctx),
      locationId,
      q: q.q ?? null,
      belowThreshold: q.below_threshold ?? null,
      after,
      limit,
    });
    const page = toPage(rows, limit, (last) => ({ l: last.location_id, s: last.sku, v: last.variant_id }));
    return {
      data: page.data.map((r) => ({
        variant_id: r.variant_id,
        location_id: r.location_id,
        sku: r.sku,
        on_hand: r.on_hand,
        low_stock_threshold: r.low_stock_threshold,
        below_threshold: r.below_threshold,
        product_id: r.product_id,
        product_name: r.product_name,
        variant_name: r.variant_name,
        updated_at: r.updated_at.toISOString(),
      })),
      next_cursor: page.next_cursor,
    };
  });
}

/** The stock ledger of the actor's locations, newest first. */
export function listMovements(
  db: Database,
  ctx: RequestContext,
  q: MovementListInput,
): Promise<{ data: MovementDto[]; next_cursor: string | null }> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const before = afterIdCursor(q.cursor);
  return tenantTx(db, ctx, async (tx) => {
    const locationId = q.location_id === undefined ? null : await usableLocation(tx, ctx, q.location_id, false);
    const rows = await lists.listMovements(tx, {
      scope: scopeOf(ctx),
      locationId,
      variantId: q.variant_id ?? null,
      before,
      limit,
    });
    const page = toPage(rows, limit, (last) => ({ id: last.id }));
    return {
      data: page.data.map((r) => ({ ...r, created_at: r.created_at.toISOString() })),
      next_cursor: page.next_cursor,
    };
  });
}

/**
 * Sets or removes the low-stock threshold of a variant at a location. The rule applies at once: a threshold set
 * at or above the stock on hand raises `inventory.low_stock` now (the level has crossed it); one set below
 * re-arms the alert. Audited as `inventory.threshold_set` when it changes.
 */
export function setThreshold(db: Database, ctx: RequestContext, input: ThresholdInput): Promise<StockLevelDto> {
  const ref = { at: '', sku: input.sku, variant_id: input.variant_id };
  checkOneOf(ref);
  return tenantTx(db, ctx, async (tx) => {
    const locationId = await usableLocation(tx, ctx, input.location_id, true);
    const [variant] = (await resolveVariants(tx, [ref])) as [{ id: string; sku: string }];
    const [before] = await repo.lockLevels(tx, locationId, [variant.id]);
    await repo.upsertThreshold(tx, ctx, { locationId, variantId: variant.id, threshold: input.low_stock_threshold });
    const [row] = await repo.lockLevels(tx, locationId, [variant.id]);
    if (row === undefined) throw new Error('the stock level just written is not there');
    const [level] = (await settleLowStock(tx, ctx, [
      {
        variantId: row.variant_id,
        locationId: row.location_id,
        sku: row.sku,
        onHand: row.on_hand,
        lowStockThreshold: row.low_stock_threshold,
        belowThreshold: row.below_threshold,
      },
    ])) as [StockLevel];
    const previous = before?.low_stock_threshold ?? null;
    if (previous !== input.low_stock_threshold) {
      await recordAudit(tx, ctx, {
        action: 'inventory.threshold_set',
        entityType: 'stock_level',
        entityId: variant.id,
        data: {
          location_id: locationId,
          variant_id: variant.id,
          sku: variant.sku,
          before: previous,
          after: input.low_stock_threshold,
        },
      });
    }
    return toLevelDto(level);
  });
}

/** One variant's opening stock at one location, as a new product brings it. */
export interface OpeningStockLine {
  readonly locationId: string;
  readonly variantId: string;
  readonly sku: string;
  readonly quantity: number;
}

/** A new variant's stock at a location after its opening stock was received. */
export interface OpeningStock {
  readonly location_id: string;
  readonly location_name: string;
  readonly variant_id: string;
  readonly sku: string;
  readonly on_hand: number;
}

/**
 * Receives the opening stock of a product being created, in the caller's transaction: per location (in location-id
 * order, as the engine asks), one adjustment of `initial` movements ("Opening stock") with its `inventory.adjusted`
 * audit event, exactly as POST /v1/inventory/adjustments would write it. The location checks are the adjustments'
 * (404, 403 outside the actor's scope, 409 archived).
 *
 * Lock order: the caller (product creation) has taken the back-office audit chain head already, before the stock
 * rows — the reverse of an adjustment. No cycle can form: the rows are those of variants created in this very
 * transaction, which no other transaction can see, let alone hold.
 */
export async function receiveOpeningStock(
  tx: Tx,
  ctx: RequestContext,
  lines: readonly OpeningStockLine[],
  source: { readonly productId: string },
): Promise<OpeningStock[]> {
  const byLocation = new Map<string, OpeningStockLine[]>();
  for (const line of lines) byLocation.set(line.locationId, [...(byLocation.get(line.locationId) ?? []), line]);
  const received: OpeningStock[] = [];
  if (byLocation.size === 0) return received;
  const policy = await getStockPolicy(tx, ctx);
  for (const locationId of [...byLocation.keys()].sort()) {
    const location = await usableLocationRow(tx, ctx, locationId, true);
    const atLocation = byLocation.get(locationId) ?? [];
    const id = newId();
    const note = 'Opening stock';
    const { levels } = await applyStockMovements(tx, ctx, {
      locationId: location.id,
      policy,
      reason: 'initial',
      reference: { type: 'stock_adjustment', id },
      lines: atLocation.map((l) => ({ variantId: l.variantId, delta: l.quantity, label: l.sku, note })),
    });
    await recordAudit(tx, ctx, {
      action: 'inventory.adjusted',
      entityType: 'stock_adjustment',
      entityId: id,
      data: {
        location_id: location.id,
        policy,
        product_id: source.productId,
        lines: atLocation.map((l) => ({
          variant_id: l.variantId,
          sku: l.sku,
          delta: l.quantity,
          reason: 'initial',
          note,
        })),
        on_hand: levels.map((l) => ({ variant_id: l.variantId, on_hand: l.onHand })),
      },
    });
    for (const level of levels) {
      received.push({
        location_id: location.id,
        location_name: location.name,
        variant_id: level.variantId,
        sku: level.sku,
        on_hand: level.onHand,
      });
    }
  }
  return received;
}

import type { RequestContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { addOutboxEvent } from '../../platform/events/index.ts';
import { newId } from '../../platform/ids.ts';
import { getStockPolicy as tenantStockPolicy } from '../tenancy/index.ts';
import * as repo from './inventory.repo.ts';

/** Why stock moved; the values of `stock_movements.reason`. */
export type StockReason =
  | 'sale'
  | 'void'
  | 'return'
  | 'adjustment'
  | 'receipt'
  | 'count'
  | 'transfer_in'
  | 'transfer_out'
  | 'damage'
  | 'initial';

/** `block`: a take that would leave on_hand below 0 is refused (409); `allow_negative`: it goes through. */
export type StockPolicy = 'block' | 'allow_negative';

export interface StockMovementLine {
  readonly variantId: string;
  /** Units added (positive) or taken (negative); a non-zero integer. */
  readonly delta: number;
  /** How the line reads to a person (e.g. the product name); echoed in `insufficient_stock`. */
  readonly label?: string | undefined;
  /** This line's reason, when it differs from the call's (an adjustment mixes receipts and damage). */
  readonly reason?: StockReason | undefined;
  readonly note?: string | undefined;
}

export interface StockMovementInput {
  readonly locationId: string;
  readonly policy: StockPolicy;
  readonly reason: StockReason;
  /** What caused the movements (e.g. `{type: 'order', id}`); `id` is a UUID. */
  readonly reference?: { readonly type: string; readonly id: string } | undefined;
  readonly lines: readonly StockMovementLine[];
}

/** The stock of one variant at one location. */
export interface StockLevel {
  readonly variantId: string;
  readonly locationId: string;
  readonly sku: string;
  readonly onHand: number;
  readonly lowStockThreshold: number | null;
  readonly belowThreshold: boolean;
}

/** One line of an `insufficient_stock` problem (and of an `order.oversold` audit event). */
export interface ShortLine {
  readonly variant_id: string;
  readonly sku: string;
  readonly label: string | undefined;
  /** How the line reads to a person: its label (an order's product name), else its SKU. */
  readonly name: string;
  /** Where the stock is short. */
  readonly location_id: string;
  /** Units the call wanted to take (the variant's lines merged). */
  readonly requested: number;
  /** Units on hand before the call, never below 0. */
  readonly available: number;
}

const INT4_MAX = 2_147_483_647;

function toLevel(row: repo.LevelRow): StockLevel {
  return {
    variantId: row.variant_id,
    locationId: row.location_id,
    sku: row.sku,
    onHand: row.on_hand,
    lowStockThreshold: row.low_stock_threshold,
    belowThreshold: row.below_threshold,
  };
}

/** A variant's lines merged: what it nets to, and how far up and down the movements may swing on_hand on the way. */
interface Merged {
  readonly variantId: string;
  readonly label: string | undefined;
  net: number;
  up: number;
  down: number;
}

function mergeLines(lines: readonly StockMovementLine[]): Merged[] {
  const byVariant = new Map<string, Merged>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.delta) || line.delta === 0) {
      throw new RangeError(`stock movement of ${line.variantId}: delta must be a non-zero integer`);
    }
    const id = line.variantId.toLowerCase();
    const merged = byVariant.get(id) ?? { variantId: id, label: line.label, net: 0, up: 0, down: 0 };
    merged.net += line.delta;
    if (line.delta > 0) merged.up += line.delta;
    else merged.down += line.delta;
    byVariant.set(id, merged);
  }
  // Variant order is the lock order of every caller: transactions never wait on each other in a cycle.
  return [...byVariant.values()].sort((a, b) => (a.variantId < b.variantId ? -1 : 1));
}

/**
 * Applies the low-stock rule to levels the caller holds locked: a level that reaches its threshold (on_hand ≤
 * threshold) while not flagged is flagged and raises ONE `inventory.low_stock`; a flagged level above its
 * threshold (or without one) is unflagged, which re-arms the alert. Returns the levels as they now are.
 */
export async function settleLowStock(
  tx: Tx,
  ctx: RequestContext,
  levels: readonly StockLevel[],
): Promise<StockLevel[]> {
  const settled: StockLevel[] = [];
  const changes = new Map<string, { variantId: string; below: boolean }[]>();
  for (const level of levels) {
    const threshold = level.lowStockThreshold;
    const below = threshold !== null && level.onHand <= threshold;
    settled.push({ ...level, belowThreshold: below });
    if (below === level.belowThreshold) continue;
    const atLocation = changes.get(level.locationId) ?? [];
    atLocation.push({ variantId: level.variantId, below });
    changes.set(level.locationId, atLocation);
    if (below) {
      await addOutboxEvent(tx, ctx, {
        topic: 'inventory.low_stock',
        payload: {
          variant_id: level.variantId,
          location_id: level.locationId,
          sku: level.sku,
          on_hand: level.onHand,
          threshold,
        },
      });
    }
  }
  for (const [locationId, list] of changes) await repo.setBelowThreshold(tx, locationId, list);
  return settled;
}

/**
 * The stock engine: moves stock of one location inside the caller's transaction, as a sale, a void, a return or
 * an adjustment does.
 *
 * - Lines of the same variant are merged; the level rows are locked in variant order, so concurrent calls queue
 *   per item and never deadlock. Usually one statement locks, checks and writes (`lockCheckAndMove`); rows
 *   missing at the location are created first (in variant order) on a slower path.
 * - Under `block`, a variant whose merged delta would take on_hand below 0 makes the whole call fail with 409
 *   `insufficient_stock` (`lines`: every short variant) before any movement is written.
 * - All movements go to the ledger in one statement; its trigger updates on_hand (the only writer of on_hand).
 * - Low-stock flags are settled and `inventory.low_stock` raised once per crossing, in the same transaction.
 *
 * The engine does not audit and does not check the actor's location scope: the use case calling it does both
 * (an order audits the sale; `adjustStock` audits `inventory.adjusted`). Lock order: a till's transaction (sale,
 * void) takes its register's counter and audit chain head first and calls the engine last, so shared stock rows
 * are held only until COMMIT; a back-office adjustment calls the engine before its back-office chain head. A caller moving stock at several locations in one
 * transaction calls it once per location, in location-id order. After a thrown error the transaction must be
 * rolled back (the engine may already have created empty level rows).
 */
export async function applyStockMovements(
  tx: Tx,
  ctx: RequestContext,
  input: StockMovementInput,
): Promise<{ levels: StockLevel[]; movementIds: string[]; short: ShortLine[] }> {
  if (input.lines.length === 0) return { levels: [], movementIds: [], short: [] };
  const merged = mergeLines(input.lines);
  const variantIds = merged.map((m) => m.variantId);
  const rows = input.lines.map((line) => ({
    id: newId(),
    variantId: line.variantId.toLowerCase(),
    delta: line.delta,
    reason: line.reason ?? input.reason,
    note: line.note ?? null,
  }));
  const movement = {
    locationId: input.locationId,
    referenceType: input.reference?.type ?? null,
    referenceId: input.reference?.id ?? null,
    rows,
  };
  // The usual case in one round trip: the levels exist and the move passes its checks.
  const attempt = await repo.lockCheckAndMove(tx, ctx, { ...movement, policy: input.policy, merged });
  let before = new Map(attempt.before.map((r) => [r.variant_id, r]));
  if (!attempt.moved) {
    if (before.size < variantIds.length) before = await createMissingLevels(tx, ctx, input.locationId, variantIds);
    checkMove(merged, before, input.policy, input.locationId);
    await repo.insertMovements(tx, ctx, movement);
  }
  // Under `allow_negative`, the lines this call took below 0 (an oversold sale audits them).
  const short = shortLines(merged, before, input.locationId);
  // The ledger's trigger added each variant's net to on_hand under the locks we hold: the levels after are known
  // without reading them again.
  const after = merged.map((m) => {
    const level = before.get(m.variantId) as repo.LevelRow;
    return toLevel({ ...level, on_hand: level.on_hand + m.net });
  });
  const levels = await settleLowStock(tx, ctx, after);
  return { levels, movementIds: rows.map((r) => r.id), short };
}

/** The merged lines whose net take leaves on_hand below 0, given the levels before the move. */
function shortLines(
  merged: readonly Merged[],
  before: ReadonlyMap<string, { sku: string; on_hand: number }>,
  locationId: string,
): ShortLine[] {
  const short: ShortLine[] = [];
  for (const m of merged) {
    const level = before.get(m.variantId);
    if (level === undefined || m.net >= 0 || level.on_hand + m.net >= 0) continue;
    short.push({
      variant_id: m.variantId,
      sku: level.sku,
      label: m.label,
      name: m.label ?? level.sku,
      location_id: locationId,
      requested: -m.net,
      available: Math.max(level.on_hand, 0),
    });
  }
  return short;
}

/**
 * The 409 `insufficient_stock` problem: `lines` names each short variant (name, SKU, units wanted, units available,
 * location), and the detail says it in words ("Not enough stock: Linen shirt — 3 wanted, 0 in stock").
 */
export function insufficientStock(short: readonly ShortLine[]): AppError {
  const words = short.map((s) => `${s.name} — ${s.requested} wanted, ${s.available} in stock`).join('; ');
  return new AppError('insufficient_stock', `Not enough stock: ${words}`, {
    extra: { lines: short, location_id: short[0]?.location_id },
  });
}

/** Throws when the move may not be made: a count would leave the int4 range, or `block` would go below 0 (409). */
function checkMove(
  merged: readonly Merged[],
  before: ReadonlyMap<string, repo.LevelRow>,
  policy: StockPolicy,
  locationId: string,
): void {
  for (const m of merged) {
    const level = before.get(m.variantId);
    if (level === undefined) throw new Error(`stock level of ${m.variantId} vanished under its lock`);
    if (level.on_hand + m.up > INT4_MAX || level.on_hand + m.down < -INT4_MAX) {
      throw new AppError('validation_failed', `The stock of ${level.sku} would leave the range of a stock count`);
    }
  }
  const short = policy === 'block' ? shortLines(merged, before, locationId) : [];
  if (short.length > 0) throw insufficientStock(short);
}

/**
 * Which lines a take would leave short, read without locks (a variant never stocked at the location has 0): the
 * check a sale makes before it charges a card, so a card is not authorized for a sale the stock will refuse. The
 * engine checks again under its locks when the stock moves.
 */
export async function findShortStock(
  tx: Tx,
  ctx: RequestContext,
  input: { locationId: string; lines: readonly (StockMovementLine & { readonly sku: string })[] },
): Promise<ShortLine[]> {
  if (input.lines.length === 0) return [];
  const merged = mergeLines(input.lines);
  const levels = await getStockLevels(tx, ctx, {
    locationId: input.locationId,
    variantIds: merged.map((m) => m.variantId),
  });
  const skus = new Map(input.lines.map((l) => [l.variantId.toLowerCase(), l.sku]));
  const before = new Map(
    merged.map((m) => {
      const level = levels.find((l) => l.variantId === m.variantId);
      return [m.variantId, { sku: level?.sku ?? skus.get(m.variantId) ?? '', on_hand: level?.onHand ?? 0 }];
    }),
  );
  return shortLines(merged, before, input.locationId);
}

/**
 * When some level rows do not exist yet (a variant never stocked here): checks the variants (422
 * `variant_not_found`), creates the missing rows in variant order and locks them all.
 */
async function createMissingLevels(
  tx: Tx,
  ctx: RequestContext,
  locationId: string,
  variantIds: readonly string[],
): Promise<Map<string, repo.LevelRow>> {
  const known = await repo.findVariantsById(tx, variantIds);
  if (known.length !== variantIds.length) {
    const missing = variantIds.filter((id) => !known.some((v) => v.id === id));
    throw new AppError('variant_not_found', `No variant with id ${missing.join(', ')}`);
  }
  await repo.ensureLevels(tx, ctx, locationId, variantIds);
  return new Map((await repo.lockLevels(tx, locationId, variantIds)).map((r) => [r.variant_id, r]));
}

/**
 * The stock levels at a location, in variant order: of the given variants, or of every variant that has a level
 * there. A variant never stocked at the location has no level (its stock is 0).
 */
export async function getStockLevels(
  tx: Tx,
  _ctx: RequestContext,
  q: { locationId: string; variantIds?: readonly string[] | undefined },
): Promise<StockLevel[]> {
  // Row-level security scopes the query to the context's tenant through the transaction.
  const ids = q.variantIds === undefined ? null : q.variantIds.map((id) => id.toLowerCase());
  return (await repo.readLevels(tx, q.locationId, ids)).map(toLevel);
}

/** The tenant's stock policy, for use cases that move stock (`tenants.stock_policy`). */
export function getStockPolicy(tx: Tx, ctx: RequestContext): Promise<StockPolicy> {
  return tenantStockPolicy(tx, ctx);
}

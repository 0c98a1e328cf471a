/**
 * The replay diff (version 1): what differs between a sale a till took offline — its price lock, what the cashier
 * saw and the customer paid — and what the server holds when the sale arrives. The server answers it with a
 * refused replay (409 `replay_conflict`); the till shows it on its conflict screen, the back office in words.
 * docs/pos.md "Replay" documents the format; a change of shape is a new version, never an edit of this one.
 */
export const REPLAY_DIFF_VERSION = 1;

/** A price a till showed for a line, or the server's price now. */
interface LineRef {
  /** The line's index in the order's items (0-based). */
  readonly position: number;
  readonly variant_id: string;
  readonly sku: string;
  readonly name: string;
}

export type ReplayChange =
  | ({
      readonly kind: 'price_changed';
      readonly till_unit_price_cents: number;
      readonly current_unit_price_cents: number;
    } & LineRef)
  | { readonly kind: 'tax_rate_changed'; readonly till_rate_bps: number; readonly current_rate_bps: number }
  | ({ readonly kind: 'product_archived' } & LineRef)
  | ({
      readonly kind: 'stock_short';
      readonly location_id: string;
      readonly wanted: number;
      readonly available: number;
    } & LineRef)
  | { readonly kind: 'register_closed'; readonly register_id: string }
  | { readonly kind: 'discount_over_limit'; readonly discount_bp: number; readonly limit_bp: number }
  | { readonly kind: 'total_changed'; readonly till_total_cents: number; readonly current_total_cents: number };

/**
 * Kinds named by the format but not produced by version 1 (the server has no customers or promotions on orders
 * yet); a reader must accept them and show them by kind.
 */
export const RESERVED_REPLAY_CHANGE_KINDS = ['customer_gone', 'promotion_gone'] as const;

export type ReplayChangeKind = ReplayChange['kind'];

/** The order in which changes of one position are listed (and sale-wide changes before the lines). */
export const REPLAY_CHANGE_KINDS: readonly ReplayChangeKind[] = [
  'register_closed',
  'discount_over_limit',
  'tax_rate_changed',
  'product_archived',
  'price_changed',
  'stock_short',
  'total_changed',
];

export interface ReplayDiff {
  readonly version: typeof REPLAY_DIFF_VERSION;
  /** Sale-wide changes first, then by line position, then by kind (`REPLAY_CHANGE_KINDS`); the total last. */
  readonly changes: readonly ReplayChange[];
}

/** What the till showed when it took the sale (the order body's `price_lock`). */
export interface PriceLock {
  /** One per item of the order, in the items' order. */
  readonly lines: readonly { readonly variant_id: string; readonly unit_price_cents: number }[];
  readonly tax_rate_bps: number;
  readonly total_cents: number;
}

/** A line of the replayed sale as the server prices it now. */
export interface ReplayLineNow extends LineRef {
  readonly quantity: number;
  readonly current_unit_price_cents: number;
  readonly archived: boolean;
}

/** Stock of one variant at the sale's location now, when the shop's policy blocks selling beyond it. */
export interface ReplayStockNow {
  readonly variant_id: string;
  readonly location_id: string;
  readonly available: number;
}

export interface ReplayDiffInput {
  readonly price_lock: PriceLock | undefined;
  /** The sale's lines, in any order (each carries its position). */
  readonly lines: readonly ReplayLineNow[];
  readonly current_tax_rate_bps: number;
  readonly current_total_cents: number;
  readonly register: { readonly id: string; readonly archived: boolean };
  /** The largest discount any line gets and the cashier's limit, when the sale needs an approval it lacks. */
  readonly discount_over_limit?: { readonly discount_bp: number; readonly limit_bp: number } | undefined;
  /** Stock at the location, when the shop blocks selling beyond it (omit under the allow policy). */
  readonly stock?: readonly ReplayStockNow[] | undefined;
}

function positionOf(change: ReplayChange): number {
  if ('position' in change) return change.position;
  return change.kind === 'total_changed' ? Number.MAX_SAFE_INTEGER : -1;
}

/** Orders changes by (position, kind); sale-wide changes have no position and lead, the total closes. */
export function compareReplayChanges(a: ReplayChange, b: ReplayChange): number {
  return positionOf(a) - positionOf(b) || REPLAY_CHANGE_KINDS.indexOf(a.kind) - REPLAY_CHANGE_KINDS.indexOf(b.kind);
}

/** What a change is of a line: its reference, with keys in a fixed order. */
function ref(line: ReplayLineNow): LineRef {
  return { position: line.position, variant_id: line.variant_id, sku: line.sku, name: line.name };
}

/**
 * The changes between a replayed sale's price lock and what the server holds now. Pure and deterministic: the
 * same inputs give the same diff, whatever order the lines (or the stock rows) come in. Stock is checked for the
 * whole sale per variant (two lines of one variant together may be short where each alone is not); the shortage
 * is reported on the variant's first line. An empty `changes` means the sale can be accepted as it is.
 */
export function replayDiff(input: ReplayDiffInput): ReplayDiff {
  const changes: ReplayChange[] = [];
  if (input.register.archived) changes.push({ kind: 'register_closed', register_id: input.register.id });
  if (input.discount_over_limit !== undefined) {
    changes.push({
      kind: 'discount_over_limit',
      discount_bp: input.discount_over_limit.discount_bp,
      limit_bp: input.discount_over_limit.limit_bp,
    });
  }
  const lock = input.price_lock;
  if (lock !== undefined && lock.tax_rate_bps !== input.current_tax_rate_bps) {
    changes.push({
      kind: 'tax_rate_changed',
      till_rate_bps: lock.tax_rate_bps,
      current_rate_bps: input.current_tax_rate_bps,
    });
  }
  const lines = [...input.lines].sort((a, b) => a.position - b.position);
  for (const line of lines) {
    if (line.archived) changes.push({ kind: 'product_archived', ...ref(line) });
    const locked = lock?.lines[line.position];
    if (locked !== undefined && locked.unit_price_cents !== line.current_unit_price_cents) {
      changes.push({
        kind: 'price_changed',
        ...ref(line),
        till_unit_price_cents: locked.unit_price_cents,
        current_unit_price_cents: line.current_unit_price_cents,
      });
    }
  }
  if (input.stock !== undefined) {
    const wanted = new Map<string, { first: ReplayLineNow; quantity: number }>();
    for (const line of lines) {
      const seen = wanted.get(line.variant_id);
      if (seen === undefined) wanted.set(line.variant_id, { first: line, quantity: line.quantity });
      else seen.quantity += line.quantity;
    }
    for (const { first, quantity } of wanted.values()) {
      const stock = input.stock.find((s) => s.variant_id === first.variant_id);
      const available = stock?.available ?? 0;
      if (quantity > available) {
        changes.push({
          kind: 'stock_short',
          ...ref(first),
          location_id: stock?.location_id ?? '',
          wanted: quantity,
          available,
        });
      }
    }
  }
  if (lock !== undefined && lock.total_cents !== input.current_total_cents) {
    changes.push({
      kind: 'total_changed',
      till_total_cents: lock.total_cents,
      current_total_cents: input.current_total_cents,
    });
  }
  return { version: REPLAY_DIFF_VERSION, changes: changes.sort(compareReplayChanges) };
}

/** The kinds a person's resolution can settle; the others leave only cancelling the sale. */
export type ReplayResolutionKind = 'accept_server_prices' | 'keep_till_prices' | 'sell_beyond_stock';

/**
 * Whether a resolution settles every change of a diff. `accept_server_prices` takes the server's prices and tax
 * (price, tax rate and total changes); `keep_till_prices` (a manager's approval) honours the till's price lock,
 * discount included; `sell_beyond_stock` (a manager's approval) sells what stock is short, and is also accepted
 * together with a price resolution through `alsoBeyondStock`. A closed register or an archived product is never
 * settled here: such a sale can only be cancelled (with a refund of what was taken).
 */
export function resolutionSettles(diff: ReplayDiff, kind: ReplayResolutionKind, alsoBeyondStock = false): boolean {
  return diff.changes.every((change) => {
    switch (change.kind) {
      case 'price_changed':
      case 'tax_rate_changed':
      case 'total_changed':
        return kind === 'accept_server_prices' || kind === 'keep_till_prices';
      case 'discount_over_limit':
        return kind === 'keep_till_prices';
      case 'stock_short':
        return kind === 'sell_beyond_stock' || alsoBeyondStock;
      case 'product_archived':
      case 'register_closed':
        return false;
    }
  });
}

/** A change in words, as the back office lists it (prices in minor units formatted by the caller). */
export function describeReplayChange(change: ReplayChange, money: (cents: number) => string): string {
  switch (change.kind) {
    case 'price_changed':
      return `${change.name} (${change.sku}): the till charged ${money(change.till_unit_price_cents)}, the price is now ${money(change.current_unit_price_cents)}`;
    case 'tax_rate_changed':
      return `Tax rate: the till used ${change.till_rate_bps / 100} %, it is now ${change.current_rate_bps / 100} %`;
    case 'product_archived':
      return `${change.name} (${change.sku}) has been archived since the sale`;
    case 'stock_short':
      return `${change.name} (${change.sku}): ${change.wanted} sold, ${change.available} in stock`;
    case 'register_closed':
      return 'The register has been archived since the sale';
    case 'discount_over_limit':
      return `A discount of ${change.discount_bp / 100} % is above the cashier's limit of ${change.limit_bp / 100} %`;
    case 'total_changed':
      return `Total: the till charged ${money(change.till_total_cents)}, it is now ${money(change.current_total_cents)}`;
  }
}

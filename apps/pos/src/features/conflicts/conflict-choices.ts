/**
 * What a person may do with a sale the server refused on sync (the conflict screen, docs/pos.md "Conflict screen"):
 * the choices its diff allows (the domain's `resolutionSettles`, the server's own rule), who must approve them,
 * what to collect or give back, and what a cancellation refunds. Pure: the screen draws it.
 */
import { resolutionSettles, type ReplayDiff, type ReplayResolutionKind } from '@novapos/domain';
import type { TillContext } from '../../api/api.ts';
import type { QueuedSale } from '../../data/db.ts';
import { settle } from '../tender/tenders.ts';

export type ConflictChoice = ReplayResolutionKind | 'cancel';

/**
 * Refusals a cancellation cannot settle either: the server cannot tell this till signed the sale (altered on the
 * device, or a device it does not know), or its number names another sale. Support resolves them.
 */
const NOT_CANCELLABLE = new Set(['offline_signature_invalid', 'device_not_found', 'offline_seq_reused']);

/** Whether the diff has stock short: a price resolution then needs a manager's sell-beyond-stock approval too. */
export function stockShort(diff: ReplayDiff | undefined): boolean {
  return diff?.changes.some((c) => c.kind === 'stock_short') ?? false;
}

/**
 * The choices offered for a refused sale, in the screen's order: the resolutions that settle every change of its
 * diff (a price resolution of a sale also short of stock counts with a stock approval; a sale only short of stock
 * is offered "sell beyond stock", not a price resolution that changes nothing), then cancelling with a refund,
 * which a signed sale always allows unless the server could not recognise it. A refusal without a diff offers only
 * the cancellation (and sending it again, which is not a resolution).
 */
export function conflictChoices(sale: QueuedSale): ConflictChoice[] {
  const diff = sale.error?.diff;
  const choices: ConflictChoice[] = [];
  if (diff !== undefined && diff.changes.length > 0) {
    const short = stockShort(diff);
    // A price resolution is for a sale whose money differs; one only short of stock is sold beyond it (or not).
    const money = diff.changes.some((c) => c.kind !== 'stock_short');
    for (const kind of ['accept_server_prices', 'keep_till_prices'] as const) {
      if (money && resolutionSettles(diff, kind, short)) choices.push(kind);
    }
    if (resolutionSettles(diff, 'sell_beyond_stock')) choices.push('sell_beyond_stock');
  }
  if (sale.body.offline !== undefined && !NOT_CANCELLABLE.has(sale.error?.code ?? '')) choices.push('cancel');
  return choices;
}

/** Whether a manager's PIN is needed: overriding prices or stock; accepting the server's prices of a short sale too. */
export function needsManager(choice: ConflictChoice, diff: ReplayDiff | undefined): boolean {
  if (choice === 'keep_till_prices' || choice === 'sell_beyond_stock') return true;
  return choice === 'accept_server_prices' && stockShort(diff);
}

/** The total the till charged (its price lock; a sale without one: what its tenders paid). */
export function tillTotal(sale: QueuedSale): number {
  return sale.body.price_lock?.total_cents ?? (sale.body.tenders ?? []).reduce((s, t) => s + t.amount_cents, 0);
}

/** The total the server charges now (its diff's total change), or the till's when it did not change. */
export function serverTotal(sale: QueuedSale): number {
  const change = sale.error?.diff?.changes.find((c) => c.kind === 'total_changed');
  return change?.kind === 'total_changed' ? change.current_total_cents : tillTotal(sale);
}

/**
 * Accepting the server's prices: what to collect (positive) or hand back (negative). The sale's cash tenders were
 * what the customer handed over, so the server's change then equals what the till gave plus what is handed back now.
 */
export function settleDifference(sale: QueuedSale): number {
  return serverTotal(sale) - tillTotal(sale);
}

/**
 * What the sale took, per method (cash net of the change given), for the refunds of a cancellation; an unknown
 * or unsettled tender list is refunded as tendered.
 */
export function takenByMethod(sale: QueuedSale, ctx: TillContext): { cash: number; external_card: number } {
  const tenders = sale.body.tenders ?? [];
  const taken = { cash: 0, external_card: 0 };
  let settled: { method: string; applied_cents: number }[];
  try {
    settled = [...settle(tillTotal(sale), tenders, ctx).tenders];
  } catch {
    settled = tenders.map((t) => ({ method: t.method, applied_cents: t.amount_cents }));
  }
  for (const t of settled) {
    if (t.method === 'cash') taken.cash += t.applied_cents;
    else taken.external_card += t.applied_cents;
  }
  return taken;
}

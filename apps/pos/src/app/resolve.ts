/**
 * Carrying out a person's choice for a sale the server refused on sync (the conflict screen): a resolution goes to
 * the server with the sale, through the queue (so a reload or a lost answer still sends it); a cancellation goes to
 * the server's cancel route with the refunds handed back. The sale leaves the queue only when the server has taken
 * one or the other.
 */
import { ApiError } from '../api/api.ts';
import { cancelOfflineSale } from '../api/replay.ts';
import type { Order, ReplayResolution } from '../api/types.ts';
import type { QueuedSale } from '../data/db.ts';
import { queuedSale, removeSale, retryRefused, saveResolution } from '../data/queue.ts';
import { flushQueue, onQueuedSaleAccepted, refreshQueueCounts } from './checkout.ts';

export type ResolveOutcome =
  /** The server accepted the sale: its order (the receipt prints the till's time and the server's). */
  | { readonly kind: 'accepted'; readonly order: Order }
  /** Refused again (another diff, a wrong PIN's approval…): the sale is back on the screen with the new refusal. */
  | { readonly kind: 'refused'; readonly sale: QueuedSale }
  /** Not sent yet (the network): it waits in the queue with its resolution and goes with the next send. */
  | { readonly kind: 'waiting' }
  /** It left the queue meanwhile (another tab resolved it). */
  | { readonly kind: 'gone' };

/** Sends a refused sale with a resolution (or, without one, as it is: "send again"), and says how it ended. */
export async function resolveSale(sale: QueuedSale, resolution?: ReplayResolution): Promise<ResolveOutcome> {
  const saved = resolution === undefined ? await retryRefused(sale) : await saveResolution(sale, resolution);
  const seen: { order?: Order } = {};
  const stop = onQueuedSaleAccepted((s, order) => {
    if (s.seq === saved.seq) seen.order = order;
  });
  try {
    await refreshQueueCounts();
    // A run already going may have ended just before this sale was saved: a second run sends it.
    for (let run = 0; run < 2; run++) {
      await flushQueue();
      if (seen.order !== undefined) return { kind: 'accepted', order: seen.order };
      const now = saved.seq === undefined ? undefined : await queuedSale(saved.seq);
      if (now === undefined) return { kind: 'gone' };
      if (now.error !== undefined) return { kind: 'refused', sale: now };
    }
  } finally {
    stop();
  }
  return { kind: 'waiting' };
}

/** Refunds handed back for a cancelled sale, by method. */
export type Refund = { readonly method: 'cash' | 'external_card'; readonly amount_cents: number };

/**
 * Cancels a refused sale at the server with what was handed back, then drops it from the queue. Already cancelled
 * (a repeat) counts as done; already accepted (another tab resolved it) leaves the queue too: the server has it.
 */
export async function cancelSale(
  sale: QueuedSale,
  reason: string,
  refunds: readonly Refund[],
): Promise<'cancelled' | 'accepted'> {
  let outcome: 'cancelled' | 'accepted' = 'cancelled';
  try {
    await cancelOfflineSale(sale.id, { sale: sale.body, reason, refunds: [...refunds] });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.code === 'offline_sale_accepted') outcome = 'accepted';
    else if (err.code !== 'offline_sale_cancelled') throw err;
  }
  await removeSale(sale);
  await refreshQueueCounts();
  return outcome;
}

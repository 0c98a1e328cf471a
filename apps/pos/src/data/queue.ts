/**
 * The offline sale queue on this device: completed sales the server has not confirmed, oldest first (`seq` is
 * IndexedDB's auto-increment key). Sending them is the checkout's business (app/checkout.ts); this file only keeps
 * them.
 */
import type { OrderBody, ReplayResolution } from '../api/types.ts';
import { tillDb, type QueuedSale, type QueuedSaleRefusal } from './db.ts';

/** A sale's body with its client id, which is also the Idempotency-Key of every send. */
export type IdentifiedOrderBody = OrderBody & { readonly id: string };

/**
 * Keeps a completed sale on this device, behind every sale already waiting, as it is (no offline block: a sale
 * whose send lost its answer, or a till without a device key). A signed sale goes through `enqueueWithSeq`.
 */
export async function enqueueSale(body: IdentifiedOrderBody): Promise<void> {
  const sale: QueuedSale = { id: body.id, body, queued_at: new Date().toISOString() };
  await (await tillDb()).add('queue', sale);
}

/** The oldest sale still waiting to be sent (a refused one waits for review, not for a send). */
export async function oldestWaitingSale(): Promise<QueuedSale | undefined> {
  const all = await (await tillDb()).getAll('queue');
  return all.find((s) => s.error === undefined);
}

/** The server has the sale: it leaves the queue. */
export async function removeSale(sale: QueuedSale): Promise<void> {
  if (sale.seq !== undefined) await (await tillDb()).delete('queue', sale.seq);
}

/** The server refused the sale: it stays, with the refusal (and without the resolution tried), for the conflict screen. */
export async function markRefused(sale: QueuedSale, error: QueuedSaleRefusal): Promise<void> {
  const { resolution: _tried, send_key: _key, ...rest } = sale;
  await (await tillDb()).put('queue', { ...rest, error });
}

/** A person resolved the refusal: the sale waits again, to be sent with the resolution under a key of its own. */
export async function saveResolution(sale: QueuedSale, replay_resolution: ReplayResolution): Promise<QueuedSale> {
  const { error: _refusal, ...rest } = sale;
  const resolved: QueuedSale = { ...rest, resolution: replay_resolution, send_key: crypto.randomUUID() };
  await (await tillDb()).put('queue', resolved);
  return resolved;
}

/** A refused sale to send again as it is (a refusal without a diff, after its cause was fixed). */
export async function retryRefused(sale: QueuedSale): Promise<QueuedSale> {
  const { error: _refusal, ...rest } = sale;
  const retried: QueuedSale = { ...rest, send_key: crypto.randomUUID() };
  await (await tillDb()).put('queue', retried);
  return retried;
}

/** The sales the server refused, oldest first: the conflict screen's list. */
export async function refusedSales(): Promise<QueuedSale[]> {
  return (await (await tillDb()).getAll('queue')).filter((s) => s.error !== undefined);
}

/** The queued sale under its queue key, if it is still there. */
export async function queuedSale(seq: number): Promise<QueuedSale | undefined> {
  return (await tillDb()).get('queue', seq);
}

/** Sales waiting to be sent, and sales the server refused. */
export async function queueCounts(): Promise<{ queued: number; failed: number }> {
  const all = await (await tillDb()).getAll('queue');
  return { queued: all.filter((s) => s.error === undefined).length, failed: all.filter((s) => s.error).length };
}

/** External-card money of the sales waiting to be sent (not the refused ones: they are not of this outage's run). */
export async function queuedExternalCardCents(): Promise<number> {
  const waiting = (await (await tillDb()).getAll('queue')).filter((s) => s.error === undefined);
  return waiting
    .flatMap((s) => s.body.tenders ?? [])
    .filter((t) => t.method === 'external_card')
    .reduce((sum, t) => sum + t.amount_cents, 0);
}

/**
 * The offline sale queue on this device: completed sales the server has not confirmed, oldest first (`seq` is
 * IndexedDB's auto-increment key). Sending them is the checkout's business (app/checkout.ts); this file only keeps
 * them.
 */
import type { OrderBody } from '../api/types.ts';
import { tillDb, type QueuedSale } from './db.ts';

/** A sale's body with its client id, which is also the Idempotency-Key of every send. */
export type IdentifiedOrderBody = OrderBody & { readonly id: string };

/** Keeps a completed sale on this device, behind every sale already waiting. */
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

/** The server refused the sale: it stays, with the refusal, for the conflict screen of a later issue. */
export async function markRefused(sale: QueuedSale, error: NonNullable<QueuedSale['error']>): Promise<void> {
  await (await tillDb()).put('queue', { ...sale, error });
}

/** Sales waiting to be sent, and sales the server refused. */
export async function queueCounts(): Promise<{ queued: number; failed: number }> {
  const all = await (await tillDb()).getAll('queue');
  return { queued: all.filter((s) => s.error === undefined).length, failed: all.filter((s) => s.error).length };
}

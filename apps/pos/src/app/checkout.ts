/**
 * Completing a sale: send it to the server, or keep it in the queue on this device and send it later, oldest first.
 * The one rule that makes replays safe: every send of a sale carries its client id, in the body (the order's
 * primary key) and as the Idempotency-Key, so the server answers a repeat with the first order, never a second one.
 */
import { ApiError, isNetworkError } from '../api/api.ts';
import { createOrder } from '../api/orders.ts';
import type { Order, OrderBody } from '../api/types.ts';
import { enqueueSale, markRefused, oldestWaitingSale, queueCounts, removeSale } from '../data/queue.ts';
import { browserOnline, setOnline, setQueueCounts, syncState } from './connection.ts';

/** Sends one sale with its Idempotency-Key (the server's POST /v1/orders; tests pass their own). */
export type SendOrder = (body: OrderBody, idempotencyKey: string) => Promise<Order>;

/** How a completion ended. */
export type CheckoutResult =
  /** The server has the sale: its receipt is the server's order. */
  | { readonly kind: 'sent'; readonly order: Order }
  /** The sale waits in the queue on this device; the receipt is the till's own. */
  | { readonly kind: 'queued' }
  /**
   * The sale did not complete (a declined or unreachable card, cash short of the server's total, a refusal): the
   * cashier stays on the payment screen. After a declined card the server keeps an open order under this sale's id,
   * so the retry must be a new sale id (`newSaleId`).
   */
  | { readonly kind: 'failed'; readonly error: unknown; readonly newSaleId: boolean };

export interface CheckoutOptions {
  /** A card tender needs the processor now: such a sale is never queued. */
  readonly card: boolean;
  /** Called when the sale leaves for the server (not when it goes straight to the queue): the screen shows it. */
  readonly onSend?: () => void;
  readonly send?: SendOrder;
  /**
   * The key of this send when it is not the sale's id: after the server answered this id without completing it
   * (`<id>.<n>`, features/sale/sale-identity.ts). A send that ends in the queue is replayed with the sale's id.
   */
  readonly idempotencyKey?: string | undefined;
}

/**
 * Sends the sale, or queues it. Sales go out in order: while older ones wait (or the till is offline), a sale
 * without a card joins the queue behind them. A cash sale whose send fails without an answer is queued too (the
 * server may have it: the replay finds it by its id). A card sale is only ever sent.
 */
export async function checkout(sale: OrderBody, options: CheckoutOptions): Promise<CheckoutResult> {
  const send = options.send ?? createOrder;
  const body = withId(sale);
  const queueIt = async (): Promise<CheckoutResult> => {
    await enqueueSale(body);
    await refreshQueueCounts();
    void flushQueue(send);
    return { kind: 'queued' };
  };
  const state = syncState();
  if (!options.card && (state.queued > 0 || !state.online || !browserOnline())) return queueIt();
  options.onSend?.();
  try {
    const order = await send(body, options.idempotencyKey ?? body.id);
    setOnline(true);
    if (order.status !== 'completed') throw new ApiError({ code: 'insufficient_tender', status: 422 });
    return { kind: 'sent', order };
  } catch (err) {
    if (isNetworkError(err)) setOnline(false);
    if ((isNetworkError(err) || isKeyInUse(err)) && !options.card) return queueIt();
    return { kind: 'failed', error: err, newSaleId: err instanceof ApiError && err.code === 'payment_declined' };
  }
}

/**
 * 409 `idempotency_key_in_use`: the server is still running an earlier send of this very sale, or holds the key of
 * one whose server died until its lease runs out (seconds). Send again later; never a refusal.
 */
function isKeyInUse(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'idempotency_key_in_use';
}

/** The body with its client id (the till always sets one; a body without gets one here, once, before any send). */
function withId(body: OrderBody): OrderBody & { id: string } {
  return body.id === undefined ? { ...body, id: crypto.randomUUID() } : { ...body, id: body.id };
}

let flushing: Promise<void> | undefined;

/**
 * Sends queued sales oldest first, one at a time; calls made while a run is going join it. A network failure stops
 * the run (the rest wait for the next one); a refusal is kept with its error for the conflict screen of a later
 * issue and the run goes on. A sale the server already has comes back as the same order: it leaves the queue.
 */
export function flushQueue(send: SendOrder = createOrder): Promise<void> {
  flushing ??= (async () => {
    try {
      for (;;) {
        const next = await oldestWaitingSale();
        if (next?.seq === undefined) break;
        try {
          await send(next.body, next.id);
          await removeSale(next);
          setOnline(true);
        } catch (err) {
          if (isNetworkError(err)) {
            setOnline(false);
            break;
          }
          // Not a refusal: an earlier send of this sale still holds its key (or a server died holding it, and the
          // key's lease has not run out yet). It stays first in the queue for the next run (docs/api.md).
          if (isKeyInUse(err)) break;
          const e = err instanceof ApiError ? err : new ApiError({ code: 'internal_error', status: 500 });
          await markRefused(next, { code: e.code, message: e.message, request_id: e.request_id });
        }
        await refreshQueueCounts();
      }
    } finally {
      await refreshQueueCounts();
      flushing = undefined;
    }
  })();
  return flushing;
}

/** Counts the queue for the status bar (at start: sales left from before a reload). */
export async function refreshQueueCounts(): Promise<void> {
  setQueueCounts(await queueCounts());
}

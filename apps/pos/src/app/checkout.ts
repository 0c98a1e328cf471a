/**
 * Completing a sale: send it to the server, or keep it in the queue on this device and send it later, oldest first.
 * The one rule that makes replays safe: every send of a sale carries its client id, in the body (the order's
 * primary key) and as the Idempotency-Key, so the server answers a repeat with the first order, never a second one.
 */
import type { ReplayDiff } from '@novapos/domain';
import { ApiError, isNetworkError } from '../api/api.ts';
import { createOrder } from '../api/orders.ts';
import type { Order, OrderBody } from '../api/types.ts';
import type { QueuedSale } from '../data/db.ts';
import { deviceKey, enqueueWithSeq, nextOfflineSeq } from '../data/device-key.ts';
import {
  enqueueSale,
  markRefused,
  oldestWaitingSale,
  queueCounts,
  removeSale,
  type IdentifiedOrderBody,
} from '../data/queue.ts';
import { browserOnline, setOnline, setQueueCounts, syncState } from './connection.ts';
import { signOffline } from './offline-signing.ts';

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
  const queueIt = async (sentBefore: boolean): Promise<CheckoutResult> => {
    await queueSale(body, sentBefore);
    await refreshQueueCounts();
    void flushQueue(send);
    return { kind: 'queued' };
  };
  const state = syncState();
  if (!options.card && (state.queued > 0 || !state.online || !browserOnline())) return queueIt(false);
  options.onSend?.();
  try {
    const order = await send(body, options.idempotencyKey ?? body.id);
    setOnline(true);
    if (order.status !== 'completed') throw new ApiError({ code: 'insufficient_tender', status: 422 });
    return { kind: 'sent', order };
  } catch (err) {
    if (isNetworkError(err)) setOnline(false);
    if ((isNetworkError(err) || isKeyInUse(err)) && !options.card) return queueIt(true);
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

/**
 * Queues a sale. One never sent is an offline sale: it gets this device's next sequence number, the till's time
 * and the device's signature (`enqueueWithSeq` takes the number in the transaction that stores the sale). One whose
 * send lost its answer is queued exactly as sent: the server may have it under its Idempotency-Key, and a changed
 * body under that key would be refused. A till without a device key (set up before them) queues sales unsigned, as
 * before, and so does a failure to sign: a sale is never lost for want of a signature.
 */
async function queueSale(body: IdentifiedOrderBody, sentBefore: boolean): Promise<void> {
  const sale = { id: body.id, body, queued_at: new Date().toISOString() };
  const key = sentBefore ? undefined : await deviceKey();
  if (key !== undefined) {
    try {
      // Another tab may take the number between the read and the write: sign again under the next one.
      for (let attempt = 0; attempt < 20; attempt++) {
        const offline = await signOffline(body, key, await nextOfflineSeq(), sale.queued_at);
        if (await enqueueWithSeq(sale, offline)) return;
      }
    } catch {
      // The key store failed (a browser profile restored without it?): the sale is queued unsigned below.
    }
  }
  await enqueueSale(body);
}

/** Listeners told of each queued sale the server accepted (the conflict screen shows the order's receipt). */
const acceptedListeners = new Set<(sale: QueuedSale, order: Order) => void>();

export function onQueuedSaleAccepted(listener: (sale: QueuedSale, order: Order) => void): () => void {
  acceptedListeners.add(listener);
  return () => acceptedListeners.delete(listener);
}

/** The body a queued sale is sent with: as queued (and signed), plus a person's resolution of a refusal. */
function bodyToSend(sale: QueuedSale): OrderBody {
  return sale.resolution === undefined ? sale.body : { ...sale.body, replay_resolution: sale.resolution };
}

/** Answers that say "not now" rather than "no": the sale stays waiting and the run stops. */
const TRANSIENT_CODES = new Set(['idempotency_key_in_use', 'rate_limited', 'service_unavailable', 'maintenance']);

let flushing: Promise<void> | undefined;

/**
 * Sends queued sales oldest first, one at a time; calls made while a run is going join it. A network failure (or a
 * "not now": another tab sending the same sale) stops the run (the rest wait for the next one); a refusal is kept
 * with its error and its replay diff for the conflict screen, and the run goes on. A sale the server already has
 * comes back as the same order, and one already cancelled at a till is resolved: either leaves the queue.
 */
export function flushQueue(send: SendOrder = createOrder): Promise<void> {
  flushing ??= (async () => {
    try {
      for (;;) {
        const next = await oldestWaitingSale();
        if (next?.seq === undefined) break;
        try {
          const order = await send(bodyToSend(next), next.send_key ?? next.id);
          await removeSale(next);
          setOnline(true);
          for (const listener of acceptedListeners) listener(next, order);
        } catch (err) {
          if (isNetworkError(err)) {
            setOnline(false);
            break;
          }
          // Not a refusal: an earlier send of this sale still holds its key (or a server died holding it, and the
          // key's lease has not run out yet). It stays first in the queue for the next run (docs/api.md).
          if (isKeyInUse(err)) break;
          const e = err instanceof ApiError ? err : new ApiError({ code: 'internal_error', status: 500 });
          if (TRANSIENT_CODES.has(e.code)) break;
          if (e.code === 'offline_sale_cancelled') await removeSale(next);
          else await markRefused(next, refusalOf(e));
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

/** What the conflict screen keeps of a refusal: the sentence, the code, and the diff of a replay conflict. */
function refusalOf(e: ApiError): NonNullable<QueuedSale['error']> {
  const diff = e.code === 'replay_conflict' ? (e.body.diff as ReplayDiff | undefined) : undefined;
  return {
    code: e.code,
    message: e.message,
    request_id: e.request_id,
    refused_at: new Date().toISOString(),
    ...(diff === undefined ? {} : { diff }),
  };
}

/** Counts the queue for the status bar (at start: sales left from before a reload). */
export async function refreshQueueCounts(): Promise<void> {
  setQueueCounts(await queueCounts());
}

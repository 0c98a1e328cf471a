import { ApiError, api, call, ok, type Order, type OrderBody } from '../api/api.ts';
import { tillDb, type QueuedSale } from './db.ts';

/** What the status bar shows: sales waiting, sales the server refused, and whether the server answers. */
export interface SyncState {
  readonly online: boolean;
  readonly queued: number;
  readonly failed: number;
}

type Listener = (state: SyncState) => void;
const listeners = new Set<Listener>();
let state: SyncState = { online: navigator.onLine, queued: 0, failed: 0 };

function publish(patch: Partial<SyncState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l(state);
}

export function syncState(): SyncState {
  return state;
}

export function onSyncState(listener: Listener): () => void {
  listeners.add(listener);
  listener(state);
  return () => listeners.delete(listener);
}

export function setOnline(online: boolean): void {
  if (online !== state.online) publish({ online });
}

async function refreshCounts(): Promise<void> {
  const all = await (await tillDb()).getAll('queue');
  publish({ queued: all.filter((s) => s.error === undefined).length, failed: all.filter((s) => s.error).length });
}

/** Sends one order. The Idempotency-Key is the order's client id, so a resend can only ever find the first. */
export function sendOrder(body: OrderBody): Promise<Order> {
  return call(() =>
    ok(api.POST('/v1/orders', { body, headers: { 'Idempotency-Key': body.id ?? crypto.randomUUID() } })),
  );
}

/** Keeps a completed sale on this device until the server has it. */
export async function enqueue(body: OrderBody): Promise<void> {
  const sale: QueuedSale = { id: body.id ?? crypto.randomUUID(), body, queued_at: new Date().toISOString() };
  await (await tillDb()).add('queue', sale);
  await refreshCounts();
}

let flushing: Promise<void> | undefined;

/**
 * Sends queued sales oldest first, one at a time. A network failure stops the run (the rest wait for the next
 * one); a refusal is kept with its error for the conflict screen of a later issue and the run goes on. A sale
 * the server already has comes back as the same order (client id + Idempotency-Key): never a second one.
 */
export function flushQueue(): Promise<void> {
  flushing ??= (async () => {
    try {
      const db = await tillDb();
      for (;;) {
        const pending = (await db.getAll('queue')).filter((s) => s.error === undefined);
        const next = pending[0];
        if (next?.seq === undefined) break;
        try {
          await sendOrder(next.body);
          await db.delete('queue', next.seq);
          setOnline(true);
        } catch (err) {
          if (err instanceof ApiError && err.isNetwork) {
            setOnline(false);
            break;
          }
          const e = err instanceof ApiError ? err : new ApiError({ code: 'internal_error', status: 500 });
          await db.put('queue', { ...next, error: { code: e.code, message: e.message, request_id: e.request_id } });
        }
        await refreshCounts();
      }
    } finally {
      await refreshCounts();
      flushing = undefined;
    }
  })();
  return flushing;
}

/** Counts the queue at start (sales left from before a reload). */
export async function initQueue(): Promise<void> {
  await refreshCounts();
}

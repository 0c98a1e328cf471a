/**
 * What the status bar shows about the connection: whether the server answers (browser events and the outcome of
 * the last call) and how many sales wait in the queue or were refused. Checkout and sync write it; the bar listens.
 */
export interface SyncState {
  readonly online: boolean;
  readonly queued: number;
  readonly failed: number;
}

type Listener = (state: SyncState) => void;
const listeners = new Set<Listener>();
let state: SyncState = { online: browserOnline(), queued: 0, failed: 0 };

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

export function setQueueCounts(counts: { queued: number; failed: number }): void {
  if (counts.queued !== state.queued || counts.failed !== state.failed) publish(counts);
}

/** What the browser says of the network (a till has one; without a browser, as in unit tests, it is online). */
export function browserOnline(): boolean {
  return typeof navigator === 'undefined' || !('onLine' in navigator) || navigator.onLine;
}

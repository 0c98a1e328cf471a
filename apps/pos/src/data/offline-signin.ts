import type { OfflinePinUser, OfflinePins } from '../api/types.ts';
import { getMeta, setMeta, tillDb } from './db.ts';

/*
 * What offline sign-in keeps on the device (docs/pos.md "Offline sign-in", threat model in docs/security.md). Three
 * `meta` keys, not a new object store: the list is small (a location's staff), it is replaced whole at each sync (so
 * a user the server no longer lists, e.g. deactivated, is gone at once), and no database version bump is needed.
 */

/** The verifiers as last synced, with the clocks needed to judge the grace window offline. */
export interface StoredOfflinePins {
  readonly register_id: string;
  readonly grace_hours: number;
  readonly users: readonly OfflinePinUser[];
  /** The till's clock when the list arrived (ms). */
  readonly fetched_at: number;
  /** The till's clock minus the server's at that moment: the server's `verified_at` on the till's clock. */
  readonly clock_offset_ms: number;
}

/** Wrong PINs typed offline since the last right one. */
export interface OfflineAttempts {
  readonly failures: number;
  /** The till's clock at the last wrong PIN (ms). */
  readonly last_failure_at: number;
}

/** A sign-in the till accepted offline, kept until the server has recorded it. Never holds the PIN. */
export interface OfflineSignInRecord {
  readonly id: string;
  readonly register_id: string;
  readonly user_id: string;
  readonly signed_in_at: string;
  readonly failed_attempts: number;
}

/** Stores the list the server just gave, replacing the previous one whole. */
export async function storeOfflinePins(list: OfflinePins, tillNow = Date.now()): Promise<void> {
  await setMeta('offline.pins', {
    register_id: list.register_id,
    grace_hours: list.grace_hours,
    users: list.users,
    fetched_at: tillNow,
    clock_offset_ms: tillNow - Date.parse(list.server_time),
  });
}

/** The stored verifiers of this register (a list synced for another register is not used). */
export async function storedOfflinePins(registerId: string): Promise<StoredOfflinePins | undefined> {
  const stored = await getMeta('offline.pins');
  return stored?.register_id === registerId ? stored : undefined;
}

export async function offlineAttempts(): Promise<OfflineAttempts> {
  return (await getMeta('offline.attempts')) ?? { failures: 0, last_failure_at: 0 };
}

/** Counts a wrong PIN, in one transaction (two quick attempts both count). Returns the new count. */
export async function recordOfflineFailure(tillNow = Date.now()): Promise<OfflineAttempts> {
  const tx = (await tillDb()).transaction('meta', 'readwrite');
  const before = (await tx.store.get('offline.attempts')) as OfflineAttempts | undefined;
  const next: OfflineAttempts = { failures: (before?.failures ?? 0) + 1, last_failure_at: tillNow };
  await Promise.all([tx.store.put(next, 'offline.attempts'), tx.done]);
  return next;
}

export async function clearOfflineFailures(): Promise<void> {
  await (await tillDb()).delete('meta', 'offline.attempts');
}

/** Keeps a sign-in to report (read and written in one transaction, so none is lost to a concurrent change). */
export async function addOfflineSignIn(record: OfflineSignInRecord): Promise<void> {
  const tx = (await tillDb()).transaction('meta', 'readwrite');
  const list = ((await tx.store.get('offline.signins')) as OfflineSignInRecord[] | undefined) ?? [];
  await Promise.all([tx.store.put([...list, record], 'offline.signins'), tx.done]);
}

/** Sign-ins accepted offline that the server has not recorded yet, oldest first. */
export async function unreportedOfflineSignIns(): Promise<OfflineSignInRecord[]> {
  return (await getMeta('offline.signins')) ?? [];
}

/** Forgets a sign-in once the server has it. */
export async function removeOfflineSignIn(id: string): Promise<void> {
  const tx = (await tillDb()).transaction('meta', 'readwrite');
  const list = ((await tx.store.get('offline.signins')) as OfflineSignInRecord[] | undefined) ?? [];
  await Promise.all([
    tx.store.put(
      list.filter((r) => r.id !== id),
      'offline.signins',
    ),
    tx.done,
  ]);
}

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OrderBody, TillCategory, TillContext, TillItem } from '../api/api.ts';

/** A sale the till completed but the server has not confirmed yet, oldest first by `seq`. */
export interface QueuedSale {
  readonly seq?: number;
  /** The order's client UUID, also its Idempotency-Key: a replay can only ever find the first order. */
  readonly id: string;
  readonly body: OrderBody;
  readonly queued_at: string;
  /** The last refusal from the server (a later issue shows these on a conflict screen). */
  readonly error?: { code: string; message: string; request_id?: string | undefined };
}

/** A cart put aside at this till, resumed later (kept on the device only). */
export interface ParkedCart {
  readonly id: string;
  readonly parked_at: string;
  readonly cart: unknown;
}

/** This till's set-up: chosen once by a manager. */
export interface DeviceConfig {
  readonly register_id: string;
  readonly register_name: string;
  readonly location_id: string;
  readonly location_name: string;
  readonly tenant_id: string;
}

interface TillDb extends DBSchema {
  meta: { key: string; value: unknown };
  items: { key: string; value: TillItem };
  categories: { key: string; value: TillCategory };
  queue: { key: number; value: QueuedSale };
  parked: { key: string; value: ParkedCart };
}

export type { TillContext };

let opened: Promise<IDBPDatabase<TillDb>> | undefined;

/** The till's IndexedDB: persistence lives here and nowhere else. */
export function tillDb(): Promise<IDBPDatabase<TillDb>> {
  opened ??= openDB<TillDb>('novapos-till', 1, {
    upgrade(db) {
      db.createObjectStore('meta');
      db.createObjectStore('items', { keyPath: 'variant_id' });
      db.createObjectStore('categories', { keyPath: 'id' });
      db.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
      db.createObjectStore('parked', { keyPath: 'id' });
    },
  });
  return opened;
}

export async function getMeta<T>(key: string): Promise<T | undefined> {
  return (await (await tillDb()).get('meta', key)) as T | undefined;
}

export async function setMeta(key: string, value: unknown): Promise<void> {
  await (await tillDb()).put('meta', value, key);
}

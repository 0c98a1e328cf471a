import type { ReceiptData } from '@novapos/domain';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ReplayDiff } from '@novapos/domain';
import type { OrderBody, ReplayResolution, TillCategory, TillContext, TillItem } from '../api/types.ts';
import type { Cart } from '../features/sale/cart.ts';
import type { OfflineAttempts, OfflineSignInRecord, StoredOfflinePins } from './offline-signin.ts';

/** A sale the till completed but the server has not confirmed yet, oldest first by `seq`. */
export interface QueuedSale {
  readonly seq?: number;
  /** The order's client UUID, also its Idempotency-Key: a replay can only ever find the first order. */
  readonly id: string;
  readonly body: OrderBody;
  readonly queued_at: string;
  /** The last refusal from the server, shown on the conflict screen until a person resolves the sale. */
  readonly error?: QueuedSaleRefusal;
  /** A person's resolution of a refusal (conflict screen), sent with the sale; kept so a reload still sends it. */
  readonly resolution?: ReplayResolution | undefined;
  /**
   * The Idempotency-Key of the next send when it is not the client id: a resolved or retried sale is a new request
   * (the refused one's key keeps answering its refusal); kept so a lost answer is retried under the same key.
   */
  readonly send_key?: string | undefined;
}

/** Why the server refused a queued sale: its code and sentence, and the replay diff of a `replay_conflict`. */
export interface QueuedSaleRefusal {
  readonly code: string;
  readonly message: string;
  readonly request_id?: string | undefined;
  readonly diff?: ReplayDiff | undefined;
  readonly refused_at?: string | undefined;
}

/**
 * This device's signing key (issued at set-up, docs/pos.md "Replay"): the Ed25519 private key is a non-extractable
 * CryptoKey (IndexedDB keeps it by structured clone, its bytes never leave the browser's key store), the public key
 * is registered with the server under `device_id`.
 */
export interface DeviceKey {
  readonly device_id: string;
  readonly private_key: CryptoKey;
  /** base64url of the raw 32-byte public key, as registered. */
  readonly public_key: string;
}

/** A cart put aside at this till, resumed later (kept on the device only). */
export interface ParkedCart {
  readonly id: string;
  readonly parked_at: string;
  readonly cart: Cart;
  /** Why it was put aside: "Parked" (F6), "Signed out", "Put aside to resume another" (absent: parked before). */
  readonly label?: string | undefined;
  /** Who was signed in when it was parked. */
  readonly cashier?: string | undefined;
}

/** A parked sale deleted at this till: who, why and when, and what it was (kept on the device: the last 200). */
export interface DeletedParkedSale {
  readonly id: string;
  readonly deleted_at: string;
  readonly deleted_by: string;
  readonly reason: string;
  readonly parked: ParkedCart;
}

/**
 * The receipt on screen after a sale, kept so that a reload shows it again (the sale itself is never on screen as a
 * cart again: it is written in the same step as the next sale's empty cart).
 */
export interface ShownReceipt {
  readonly receipt: ReceiptData;
  readonly saleId: string;
  readonly orderId: string | undefined;
  readonly queued: boolean;
}

/** This till's set-up: chosen once by a manager. */
export interface DeviceConfig {
  readonly register_id: string;
  readonly register_name: string;
  readonly location_id: string;
  readonly location_name: string;
  readonly tenant_id: string;
}

/** What the `meta` store keeps, key by key: the only keys there are, each with the type of its value. */
export interface MetaValues {
  /** The register this device is (device set-up). */
  device: DeviceConfig;
  /** The register's pricing context as last fetched (an offline start prices with it). */
  context: TillContext;
  /** The cart on the sale screen (mirrored so a reload or a crash keeps it). */
  cart: Cart;
  /** Where the catalog's delta feed resumes. */
  'catalog.cursor': string;
  /** Offline sign-in (`offline-signin.ts`): the PIN verifiers of this location's staff, as last synced. */
  'offline.pins': StoredOfflinePins;
  /** Offline sign-in: wrong PINs typed offline in a row (a reload does not reset the wait). */
  'offline.attempts': OfflineAttempts;
  /** Offline sign-in: sign-ins accepted offline and not yet reported to the server. */
  'offline.signins': OfflineSignInRecord[];
  /** The receipt on screen, until "New sale" (a reload shows it again). */
  receipt: ShownReceipt;
  /** Parked sales deleted at this till, newest last. */
  'parked.deleted': DeletedParkedSale[];
  /** The key this device signs its queued sales with (absent on a till set up before device keys). */
  'device.key': DeviceKey;
  /** The last number of this device's offline sequence (written with the sale that takes it, never reused). */
  'offline.seq': number;
}

export type MetaKey = keyof MetaValues;

interface TillDb extends DBSchema {
  meta: { key: MetaKey; value: MetaValues[MetaKey] };
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

/** The value kept under `key`, typed by `MetaValues`. */
export async function getMeta<K extends MetaKey>(key: K): Promise<MetaValues[K] | undefined> {
  // The store holds each key's own type: `setMeta` is the only writer, and it is typed by key.
  return (await (await tillDb()).get('meta', key)) as MetaValues[K] | undefined;
}

export async function setMeta<K extends MetaKey>(key: K, value: MetaValues[K]): Promise<void> {
  await (await tillDb()).put('meta', value, key);
}

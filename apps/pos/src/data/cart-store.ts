import { newCart, type Cart } from '../features/sale/cart.ts';
import { reviseCart } from '../features/sale/sale-identity.ts';
import { getMeta, setMeta } from './db.ts';

/**
 * The cart on the sale screen, outside React: every change applies to the latest cart (two scans in one frame both
 * count) and is mirrored to the device (`meta.cart`), so a reload or a crash does not lose it. The mirror is
 * debounced: a burst of scans is one write, `delayMs` after the last change; `flush()` writes at once (the app
 * calls it when the page is hidden or closed). Every edit of the sale on screen goes through `reviseCart` (a sale id
 * never carries two different sales); `replace` swaps in another sale and writes it at once, with no debounce (a
 * completed sale's cart must not be the one on the device for even 250 ms).
 */
export interface CartStore {
  /** The cart now. */
  readonly get: () => Cart;
  /** Changes the cart (a cart, or a function of the latest one); an unchanged cart is neither saved nor announced. */
  readonly set: (update: Cart | ((current: Cart) => Cart)) => void;
  /** Calls `listener` after each change; returns the unsubscribe (the shape React's `useSyncExternalStore` takes). */
  readonly subscribe: (listener: () => void) => () => void;
  /** Takes the cart saved on this device, if any (at start; it is not saved again). */
  readonly restore: () => Promise<void>;
  /** Writes a pending save now; resolves when no save is pending or running. */
  readonly flush: () => Promise<void>;
  /** Drops a pending save (the device is being reset: nothing may be written after the reset's clear). */
  readonly discard: () => void;
  /**
   * Puts `cart` on screen and writes it now, after any write already running, instead of a pending one; `persist`
   * writes it together with what must change in the same step (the receipt of the sale just completed). Resolves
   * when it is written.
   */
  readonly replace: (cart: Cart, persist?: (cart: Cart) => Promise<void>) => Promise<void>;
}

export interface CartStoreOptions {
  /** How long after the last change the cart is written. */
  readonly delayMs?: number;
  readonly load?: () => Promise<Cart | undefined>;
  readonly save?: (cart: Cart) => Promise<void>;
  /** The rule every edit of the cart on screen follows (default: `reviseCart`). */
  readonly revise?: (before: Cart, after: Cart) => Cart;
}

/** The pause after the last change before the cart is written: a scanner's burst of lines is one write. */
export const CART_SAVE_DELAY_MS = 250;

export function createCartStore(options: CartStoreOptions = {}): CartStore {
  const delayMs = options.delayMs ?? CART_SAVE_DELAY_MS;
  const load = options.load ?? (() => getMeta('cart'));
  const save = options.save ?? ((cart: Cart) => setMeta('cart', cart));
  const revise = options.revise ?? reviseCart;
  const listeners = new Set<() => void>();
  let cart = newCart();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  // Saves run one after another, so the last cart written is the last cart set.
  let writing: Promise<void> = Promise.resolve();

  const write = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending) {
      pending = false;
      const snapshot = cart;
      writing = writing.then(() => save(snapshot)).catch(() => undefined);
    }
    return writing;
  };

  return {
    get: () => cart,
    set(update) {
      const next = revise(cart, typeof update === 'function' ? update(cart) : update);
      if (next === cart) return;
      cart = next;
      pending = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => void write(), delayMs);
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async restore() {
      const saved = await load();
      if (saved === undefined || pending) return;
      cart = saved;
      for (const l of listeners) l();
    },
    flush: write,
    discard() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      pending = false;
    },
    replace(next, persist = save) {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      pending = false;
      cart = next;
      for (const l of listeners) l();
      const written = writing.then(() => persist(next));
      writing = written.catch(() => undefined);
      return written;
    },
  };
}

/** The till's cart. */
export const cartStore = createCartStore();

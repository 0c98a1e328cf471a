// The till's IndexedDB, in memory: the last test saves and restores through the real `meta` store.
import 'fake-indexeddb/auto';
import { afterEach, expect, test, vi } from 'vitest';
import type { TillItem } from '../api/types.ts';
import { addItem, newCart, setQuantity, type Cart, type CartLine } from '../features/sale/cart.ts';
import { SODA, WATER } from '../test-fixtures.ts';
import { createCartStore } from './cart-store.ts';

/** The catalog's item for a fixture line. */
function item(line: CartLine): TillItem {
  const { quantity: _quantity, ...rest } = line;
  return { ...rest, product_id: line.variant_id, category_id: null, barcodes: [], archived: false };
}
const soda = item(SODA);
const water = item(WATER);

/** A store whose saves are recorded, on fake timers (the debounce is a timer). */
function recorded(delayMs = 250) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const saved: Cart[] = [];
  const store = createCartStore({ delayMs, load: () => Promise.resolve(undefined), save: (c) => (saved.push(c), Promise.resolve()) });
  return { store, saved };
}

afterEach(() => {
  vi.useRealTimers();
});

test('a burst of changes is one save of the latest cart, after the pause', async () => {
  const { store, saved } = recorded();
  store.set((c) => addItem(c, soda));
  await vi.advanceTimersByTimeAsync(100);
  store.set((c) => addItem(c, soda));
  store.set((c) => addItem(c, water));
  await vi.advanceTimersByTimeAsync(249);
  expect(saved).toEqual([]);
  await vi.advanceTimersByTimeAsync(1);
  expect(saved).toEqual([store.get()]);
  expect(store.get().lines.map((l) => [l.name, l.quantity])).toEqual([
    ['Soda Can', 2],
    ['Water', 1],
  ]);
  await vi.advanceTimersByTimeAsync(1000);
  expect(saved).toHaveLength(1);
});

test('each change applies to the latest cart: two scans in one frame both count', () => {
  const { store } = recorded();
  const seen: number[] = [];
  store.subscribe(() => seen.push(store.get().lines[0]?.quantity ?? 0));
  store.set((c) => addItem(c, soda));
  store.set((c) => addItem(c, soda));
  expect(seen).toEqual([1, 2]);
});

test('an unchanged cart is neither saved nor announced', async () => {
  const { store, saved } = recorded();
  let announced = 0;
  store.subscribe(() => (announced += 1));
  store.set((c) => c);
  store.set(store.get());
  await vi.advanceTimersByTimeAsync(1000);
  expect(saved).toEqual([]);
  expect(announced).toBe(0);
});

test('flush writes a pending change at once; discard drops it', async () => {
  const { store, saved } = recorded();
  store.set((c) => addItem(c, soda));
  await store.flush();
  expect(saved).toEqual([store.get()]);
  await vi.advanceTimersByTimeAsync(1000);
  expect(saved).toHaveLength(1);
  // Nothing pending: a flush writes nothing.
  await store.flush();
  expect(saved).toHaveLength(1);

  store.set((c) => setQuantity(c, 0, 5));
  store.discard();
  await vi.advanceTimersByTimeAsync(1000);
  await store.flush();
  expect(saved).toHaveLength(1);
});

test('the cart saved on the device comes back at the next start, and is not saved again', async () => {
  const first = createCartStore();
  first.set(addItem(newCart(), water));
  await first.flush();

  let saves = 0;
  const next = createCartStore({ save: () => ((saves += 1), Promise.resolve()) });
  await next.restore();
  expect(next.get()).toEqual(first.get());
  await next.flush();
  expect(saves).toBe(0);
});

test('replace writes the new cart at once, instead of a pending debounced save of the old one', async () => {
  const { store, saved } = recorded();
  store.set((c) => addItem(c, soda));
  const next = newCart();
  const together: Cart[] = [];
  await store.replace(next, (c) => (together.push(c), Promise.resolve()));
  expect(together).toEqual([next]);
  expect(store.get()).toBe(next);
  await vi.advanceTimersByTimeAsync(1000);
  // The old cart's pending save never lands after it.
  expect(saved).toEqual([]);
});

test('every edit goes through the sale-id rule: removing every line resets the sale', () => {
  const { store } = recorded();
  store.set((c) => ({ ...addItem(c, soda), discount_bp: 500 }));
  const id = store.get().id;
  store.set((c) => setQuantity(c, 0, 0));
  expect(store.get().id).not.toBe(id);
  expect(store.get().discount_bp).toBe(0);
});

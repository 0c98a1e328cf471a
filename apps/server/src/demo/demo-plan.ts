import { createRng, type DemoProduct, type Rng } from './demo-catalog.ts';

// What the demo shop holds and sold, planned up front in memory (pure and deterministic), then written by
// demo-seed.ts through the real use cases.

/** Opening stock of one variant at one location; `threshold` is its low-stock threshold, if it has one. */
export interface StockLine {
  readonly sku: string;
  readonly quantity: number;
  readonly threshold: number | null;
}

export type Payment = 'cash' | 'card' | 'split';

/** One past sale at one register. */
export interface PlannedOrder {
  readonly register: number;
  /** 1 = yesterday. */
  readonly daysAgo: number;
  /** When it was rung up, in seconds after local midnight (opening hours only). */
  readonly secondsOfDay: number;
  readonly items: readonly { sku: string; quantity: number }[];
  readonly discountBp: number;
  readonly note: string | undefined;
  readonly payment: Payment;
  /** Voided minutes after the sale, with this reason. */
  readonly voidReason: string | undefined;
}

export interface PlanOptions {
  readonly days: number;
  /** Completed orders per register and day: drawn from [min, max]. */
  readonly ordersPerDay: readonly [min: number, max: number];
  readonly seed: number;
}

/** 07:00 to 21:00. */
const OPENS = 7 * 3600;
const CLOSES = 21 * 3600;

/** Categories that are stocked deeper because they sell faster. */
const FAST_MOVERS = new Set(['Drinks', 'Snacks', 'Coffee bar', 'Bakery']);

/**
 * The opening stock of one location: every variant 5–80 (fast movers deeper), a threshold on about one variant
 * in eight, and a few of those already at or below it, so the low-stock list is not empty on day one.
 */
export function planStock(catalog: readonly DemoProduct[], location: number, seed: number): StockLine[] {
  const rng = createRng(seed + 1000 * (location + 1));
  let n = 0;
  return catalog.flatMap((product) =>
    product.variants.map((v) => {
      n++;
      const fast = FAST_MOVERS.has(product.category);
      const hasThreshold = n % 8 === location + 3;
      const low = hasThreshold && n % 24 === location + 3;
      const threshold = hasThreshold ? rng.int(8, 12) : null;
      const quantity = low ? rng.int(5, 7) : fast ? rng.int(30, 80) : rng.int(8, 45);
      return { sku: v.sku, quantity, threshold };
    }),
  );
}

interface Shelf {
  readonly products: readonly DemoProduct[];
  /** Running sums of popularity, for a weighted pick. */
  readonly cumulative: readonly number[];
}

function shelfOf(catalog: readonly DemoProduct[]): Shelf {
  let sum = 0;
  return { products: catalog, cumulative: catalog.map((p) => (sum += p.popularity)) };
}

function pickProduct(shelf: Shelf, rng: Rng): DemoProduct {
  const total = shelf.cumulative[shelf.cumulative.length - 1] ?? 0;
  const x = rng.next() * total;
  const i = shelf.cumulative.findIndex((c) => x < c);
  return shelf.products[i === -1 ? shelf.products.length - 1 : i] as DemoProduct;
}

/** A basket of 1–6 lines that the location's remaining stock can serve; taken from `onHand` as it is planned. */
function basket(shelf: Shelf, onHand: Map<string, number>, rng: Rng): { sku: string; quantity: number }[] {
  const roll = rng.next();
  const lines = roll < 0.4 ? 1 : roll < 0.7 ? 2 : roll < 0.85 ? 3 : rng.int(4, 6);
  const items = new Map<string, number>();
  for (let tries = 0; items.size < lines && tries < lines * 4; tries++) {
    const product = pickProduct(shelf, rng);
    const sku = rng.pick(product.variants).sku;
    if (items.has(sku)) continue;
    const wanted = product.name === 'Banana' ? rng.int(1, 6) : rng.chance(0.15) ? rng.int(2, 3) : 1;
    const quantity = Math.min(wanted, onHand.get(sku) ?? 0);
    if (quantity === 0) continue;
    items.set(sku, quantity);
    onHand.set(sku, (onHand.get(sku) ?? 0) - quantity);
  }
  return [...items].map(([sku, quantity]) => ({ sku, quantity }));
}

const DISCOUNTS: readonly { bp: number; note: string }[] = [
  { bp: 500, note: 'Loyalty card 5 %' },
  { bp: 1000, note: 'Damaged packaging' },
  { bp: 2000, note: 'Staff discount' },
];
const VOID_REASONS = ['Customer changed their mind', 'Rung up twice by mistake'];

/**
 * The past sales of every register: for each day (oldest first) 20–40 orders per register by default, at sorted
 * times in opening hours, so each register's numbers rise with time. Baskets never take more than the location's
 * opening stock (`stock[l]`, by SKU), whatever order the registers' sales run in. About 8 % carry a discount;
 * payment is cash, card or split; the third sale of yesterday at the first register of each location is voided.
 * `registers[r]` is the location index of register r.
 */
export function planOrders(
  catalog: readonly DemoProduct[],
  stock: readonly (readonly StockLine[])[],
  registers: readonly number[],
  options: PlanOptions,
): PlannedOrder[] {
  const rng = createRng(options.seed + 7);
  const shelf = shelfOf(catalog);
  const onHand = stock.map((lines) => new Map(lines.map((l) => [l.sku, l.quantity])));
  const orders: PlannedOrder[] = [];
  registers.forEach((location, register) => {
    const left = onHand[location];
    if (left === undefined) throw new RangeError(`register ${register} is at unknown location ${location}`);
    const firstAtLocation = registers.indexOf(location) === register;
    for (let daysAgo = options.days; daysAgo >= 1; daysAgo--) {
      const count = rng.int(options.ordersPerDay[0], options.ordersPerDay[1]);
      const times = Array.from({ length: count }, () => rng.int(OPENS, CLOSES - 1)).sort((a, b) => a - b);
      times.forEach((secondsOfDay, i) => {
        const items = basket(shelf, left, rng);
        if (items.length === 0) return;
        const discount = rng.chance(0.08) ? rng.pick(DISCOUNTS) : undefined;
        const roll = rng.next();
        const payment: Payment = roll < 0.4 ? 'cash' : roll < 0.85 ? 'card' : 'split';
        const voided = firstAtLocation && daysAgo === 1 && i === 2;
        orders.push({
          register,
          daysAgo,
          secondsOfDay,
          items,
          discountBp: discount?.bp ?? 0,
          note: discount?.note,
          payment,
          voidReason: voided ? rng.pick(VOID_REASONS) : undefined,
        });
      });
    }
  });
  return orders;
}

/** What a customer hands over for `due` cents in cash: the exact amount, or the next round note. */
export function cashHandedOver(due: number, rng: Rng): number {
  const notes = [100, 500, 1000, 2000, 5000];
  const roll = rng.next();
  if (roll < 0.3) return due;
  const note = notes.find((n) => n > due * (roll < 0.7 ? 0.2 : 0.5)) ?? 5000;
  return Math.ceil(due / note) * note;
}

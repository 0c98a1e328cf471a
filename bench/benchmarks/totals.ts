import { computeTotals, type Cart } from '@novapos/domain';
import { percentile, round } from '../lib/stats.ts';

/** Totals engine result: time to price a 1,000-line cart in `computeTotals`, in process (no I/O). */
export interface TotalsResult {
  readonly lines: number;
  readonly iterations: number;
  readonly medianMs: number;
  readonly p99Ms: number;
}

/** Prices a deterministic 1,000-line cart (mixed taxed and untaxed lines, 10 % off) `iterations` times. */
export function benchTotals(iterations: number): TotalsResult {
  const lines = Array.from({ length: 1000 }, (_, i) => ({
    quantity: 1 + (i % 7),
    unit_price_cents: 99 + ((i * 37) % 5000),
    taxes: i % 3 === 0 ? [] : [{ code: 'STD', rate_bps: 800 }],
  }));
  const cart: Cart = { lines, discount_bp: 1000, rounding: 'half_up' };
  for (let i = 0; i < 50; i++) computeTotals(cart);
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    computeTotals(cart);
    times.push(performance.now() - started);
  }
  return { lines: 1000, iterations, medianMs: round(percentile(times, 50), 4), p99Ms: round(percentile(times, 99), 4) };
}

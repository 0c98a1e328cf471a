import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestDiscountBp, stackedDiscountBp } from './discounts.ts';
import { computeTotals } from './totals.ts';

describe('stacked discounts', () => {
  it('10 % on the line and 10 % on the order is 19 % on that line', () => {
    expect(stackedDiscountBp(1000, 1000)).toBe(1900);
    expect(stackedDiscountBp(0, 1000)).toBe(1000);
    expect(stackedDiscountBp(10_000, 5000)).toBe(10_000);
  });

  it('rounds up, so a limit is never passed through rounding: 3.33 % and 3.33 % is 6.549 % → 655 bp', () => {
    expect(stackedDiscountBp(333, 333)).toBe(655);
  });

  it('the largest is over every line, and the order discount alone without line discounts', () => {
    expect(largestDiscountBp([], 500)).toBe(500);
    expect(largestDiscountBp([0, 0], 500)).toBe(500);
    expect(largestDiscountBp([0, 2000, 1000], 500)).toBe(2400);
  });

  it('is never less than the discount computeTotals gives any line (before rounding to cents)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 10_000, max: 10_000_000 }),
        (lineBp, orderBp, price) => {
          const t = computeTotals({
            lines: [{ quantity: 1, unit_price_cents: price, taxes: [], discount_bp: lineBp }],
            discount_bp: orderBp,
            rounding: 'truncate',
          });
          const given = t.lines[0]?.discount_cents ?? 0;
          expect(given * 10_000).toBeLessThanOrEqual(stackedDiscountBp(lineBp, orderBp) * price);
        },
      ),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from './allocate.ts';

describe('allocate (largest remainder)', () => {
  it('splits the seed discount by line subtotals: 55 over 398 and 149 → 40 and 15', () => {
    expect(allocate(55, [398, 149])).toEqual([40, 15]);
  });

  it('gives leftover cents to the largest remainders, earlier parts first on ties', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(5, [0, 0])).toEqual([3, 2]);
    expect(allocate(0, [3, 4])).toEqual([0, 0]);
  });

  it('always adds up to the whole, and each part is within one cent of its exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 1, maxLength: 40 }),
        (total, weights) => {
          const parts = allocate(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sum = weights.reduce((a, b) => a + b, 0);
          parts.forEach((part, i) => {
            const exact = sum === 0 ? total / weights.length : (total * (weights[i] ?? 0)) / sum;
            expect(Math.abs(part - exact)).toBeLessThan(1 + 1e-6);
          });
        },
      ),
    );
  });

  it('gives the same parts on the number path and the bigint path', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 }),
        (total, weights) => {
          // Scaling every weight by the same huge factor keeps the shares and forces the bigint path.
          const scaled = weights.map((w) => w * 2 ** 30);
          expect(allocate(total, scaled)).toEqual(allocate(total, weights));
        },
      ),
    );
  });

  it('refuses negative weights and a non-zero total with nothing to split into', () => {
    expect(() => allocate(1, [1, -1])).toThrow(RangeError);
    expect(() => allocate(1, [])).toThrow(RangeError);
  });
});

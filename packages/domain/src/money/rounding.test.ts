import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRatio, divRound, roundToIncrement, type RoundingMode } from './rounding.ts';

/** value / 10, for each mode: the classic table of rounding, on both sides of zero. */
const TABLE: [number, Record<RoundingMode, number>][] = [
  [25, { half_up: 3, truncate: 2, bankers: 2 }],
  [35, { half_up: 4, truncate: 3, bankers: 4 }],
  [24, { half_up: 2, truncate: 2, bankers: 2 }],
  [26, { half_up: 3, truncate: 2, bankers: 3 }],
  [29, { half_up: 3, truncate: 2, bankers: 3 }],
  [20, { half_up: 2, truncate: 2, bankers: 2 }],
  [5, { half_up: 1, truncate: 0, bankers: 0 }],
  [15, { half_up: 2, truncate: 1, bankers: 2 }],
  [-25, { half_up: -3, truncate: -2, bankers: -2 }],
  [-35, { half_up: -4, truncate: -3, bankers: -4 }],
  [-24, { half_up: -2, truncate: -2, bankers: -2 }],
  [-26, { half_up: -3, truncate: -2, bankers: -3 }],
  [-29, { half_up: -3, truncate: -2, bankers: -3 }],
  [-5, { half_up: -1, truncate: 0, bankers: 0 }],
  [0, { half_up: 0, truncate: 0, bankers: 0 }],
];

describe('divRound', () => {
  for (const [value, expected] of TABLE) {
    for (const mode of ['half_up', 'truncate', 'bankers'] as const) {
      it(`${value}/10 → ${expected[mode]} (${mode})`, () => {
        expect(divRound(BigInt(value), 10n, mode)).toBe(BigInt(expected[mode]));
      });
    }
  }

  it('is symmetric around zero for half_up and truncate, and never more than half a unit off', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        (n, d) => {
          for (const mode of ['half_up', 'truncate'] as const)
            expect(divRound(-n, d, mode)).toBe(-divRound(n, d, mode));
          for (const mode of ['half_up', 'truncate', 'bankers'] as const) {
            const error = n - divRound(n, d, mode) * d; // remainder left after rounding
            expect(2n * (error < 0n ? -error : error)).toBeLessThanOrEqual(mode === 'truncate' ? 2n * d : d);
          }
        },
      ),
    );
  });

  it('refuses a non-positive denominator', () => {
    expect(() => divRound(1n, 0n, 'half_up')).toThrow(RangeError);
  });
});

describe('applyRatio and roundToIncrement', () => {
  it('applies a basis-point rate with one rounding at full precision', () => {
    expect(applyRatio(358, 800, 10_000, 'half_up')).toBe(29); // 28.64
    expect(applyRatio(-358, 800, 10_000, 'half_up')).toBe(-29);
    expect(applyRatio(358, 800, 10_000, 'truncate')).toBe(28);
    // 2^53 − 1 cents × 10,000 does not fit a double; the bigint product does.
    expect(applyRatio(Number.MAX_SAFE_INTEGER, 10_000, 10_000, 'half_up')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('rounds cash to the smallest coin', () => {
    expect(roundToIncrement(521, 5, 'half_up')).toBe(520);
    expect(roundToIncrement(523, 5, 'half_up')).toBe(525);
    expect(roundToIncrement(-523, 5, 'half_up')).toBe(-525);
    expect(roundToIncrement(1_249, 100, 'bankers')).toBe(1_200);
  });

  it('refuses floats', () => {
    expect(() => applyRatio(1.5, 800, 10_000, 'half_up')).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { AmountTooLargeError, applyRatio, assertSafeInteger, toSafeNumber } from './rounding.ts';
import { computeTotals } from './totals.ts';

const MAX_PRICE = 100_000_000_000;
const MAX_QUANTITY = 100_000;

describe('AmountTooLargeError', () => {
  it('is what the totals engine throws when a line, the subtotal, the tax or the total passes 2^53', () => {
    const cases = [
      // One line: 10^11 × 10^5 = 10^16.
      { lines: [{ quantity: MAX_QUANTITY, unit_price_cents: MAX_PRICE, taxes: [] }] },
      // Two exact lines whose sum is not.
      {
        lines: [
          { quantity: 50_000, unit_price_cents: MAX_PRICE, taxes: [] },
          { quantity: 50_000, unit_price_cents: MAX_PRICE, taxes: [] },
        ],
      },
      // An exact subtotal (9 × 10^15) that tax added on top takes past 2^53.
      { lines: [{ quantity: 90_000, unit_price_cents: MAX_PRICE, taxes: [{ code: 'VAT', rate_bps: 1000 }] }] },
    ];
    for (const cart of cases) {
      const thrown = (() => {
        try {
          computeTotals(cart);
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(thrown).toBeInstanceOf(AmountTooLargeError);
      // Callers that catch RangeError, as they did before, still catch it.
      expect(thrown).toBeInstanceOf(RangeError);
      expect((thrown as AmountTooLargeError).what).toMatch(/subtotal|total|tax/);
    }
  });

  it('leaves a large but exact total alone', () => {
    const totals = computeTotals({ lines: [{ quantity: 90_000, unit_price_cents: MAX_PRICE, taxes: [] }] });
    expect(totals.total_cents).toBe(9_000_000_000_000_000);
  });

  it('is thrown by the rounding helpers for integers past 2^53, not for other bad numbers', () => {
    expect(() => toSafeNumber(2n ** 53n, 'x')).toThrow(AmountTooLargeError);
    expect(() => assertSafeInteger(2 ** 53, 'x')).toThrow(AmountTooLargeError);
    expect(() => applyRatio(2 ** 53 - 1, 2, 1, 'half_up')).toThrow(AmountTooLargeError);
    expect(() => assertSafeInteger(1.5, 'x')).toThrow(RangeError);
    expect(() => assertSafeInteger(1.5, 'x')).not.toThrow(AmountTooLargeError);
    expect(() => assertSafeInteger(Number.NaN, 'x')).not.toThrow(AmountTooLargeError);
  });
});

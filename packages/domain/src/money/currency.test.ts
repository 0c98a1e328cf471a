import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMinorUnits, parseMinorUnits } from './currency.ts';

describe('currencies', () => {
  it('knows minor-unit exponents', () => {
    expect([
      currencyExponent('USD'),
      currencyExponent('EUR'),
      currencyExponent('JPY'),
      currencyExponent('KWD'),
    ]).toEqual([2, 2, 0, 3]);
    expect(() => currencyExponent('usd')).toThrow(RangeError);
  });

  it('formats and parses without floats', () => {
    expect(formatMinorUnits(199, 'USD')).toBe('1.99');
    expect(formatMinorUnits(-5, 'USD')).toBe('-0.05');
    expect(formatMinorUnits(500, 'JPY')).toBe('500');
    expect(formatMinorUnits(1, 'KWD')).toBe('0.001');
    expect(parseMinorUnits('1.99', 'USD')).toBe(199);
    expect(parseMinorUnits('5', 'USD')).toBe(500);
    expect(parseMinorUnits('-0.5', 'USD')).toBe(-50);
    expect(() => parseMinorUnits('1.999', 'USD')).toThrow(/more than 2 decimals/);
    expect(() => parseMinorUnits('1e3', 'USD')).toThrow(RangeError);
  });

  it('round-trips every amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom('USD', 'JPY', 'KWD', 'CLF'), (n, c) => {
        expect(parseMinorUnits(formatMinorUnits(n, c), c)).toBe(n);
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMoney, parseTypedAmount } from './currency.ts';

describe('formatMoney', () => {
  it('shows what Intl (en-US) shows, where Intl agrees with ISO 4217 on the decimals', () => {
    const currencies = ['USD', 'EUR', 'GBP', 'JPY', 'BHD', 'KWD', 'CAD', 'AUD', 'CHF', 'CNY', 'INR', 'KRW', 'MXN'];
    const more = ['NZD', 'BRL', 'HKD', 'SEK', 'ILS', 'VND', 'TWD', 'PHP', 'XAF', 'XOF', 'CLP', 'ISK', 'TND', 'CLF'];
    fc.assert(
      fc.property(
        fc.constantFrom(...currencies, ...more),
        fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }),
        (currency, amount) => {
          const exponent = currencyExponent(currency);
          const intl = new Intl.NumberFormat('en-US', {
            style: 'currency',
            currency,
            minimumFractionDigits: exponent,
            maximumFractionDigits: exponent,
          });
          // Intl takes a float: fine for the comparison at these sizes, never used for the display itself.
          expect(formatMoney(amount, currency)).toBe(intl.format(amount / 10 ** exponent));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('uses the ISO exponent where Intl has another (IQD has 3 decimals)', () => {
    expect(formatMoney(1234, 'IQD')).toBe('IQD\u00a01.234');
    expect(formatMoney(0, 'USD')).toBe('$0.00');
  });
});

describe('parseTypedAmount', () => {
  it('reads a point or a comma as the decimal separator, in the currency’s exponent', () => {
    expect(parseTypedAmount('12,50', 'USD')).toBe(1250);
    expect(parseTypedAmount('12.', 'USD')).toBe(1200);
    expect(parseTypedAmount('1.5', 'BHD')).toBe(1500);
    expect(parseTypedAmount('1500', 'JPY')).toBe(1500);
    expect(parseTypedAmount('1.5', 'JPY')).toBeUndefined();
    expect(parseTypedAmount('1.005', 'USD')).toBeUndefined();
    expect(parseTypedAmount('-1', 'USD')).toBeUndefined();
    expect(parseTypedAmount('1234567890', 'USD')).toBeUndefined();
    expect(parseTypedAmount('', 'USD')).toBeUndefined();
  });

  it('round-trips every amount it formats without symbol', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('USD', 'JPY', 'BHD'),
        fc.integer({ min: 0, max: 999_999_999 }),
        (currency, amount) => {
          const exponent = currencyExponent(currency);
          const text = String(amount).padStart(exponent + 1, '0');
          const typed = exponent === 0 ? text : `${text.slice(0, -exponent)},${text.slice(-exponent)}`;
          expect(parseTypedAmount(typed, currency)).toBe(amount);
        },
      ),
    );
  });
});

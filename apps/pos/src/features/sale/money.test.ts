import { expect, test } from 'vitest';
import { money, percent } from './money.ts';

test('money is shown in the currency’s own exponent, with its symbol', () => {
  expect(money(1234, 'USD')).toBe('$12.34');
  expect(money(123_456_789, 'USD')).toBe('$1,234,567.89');
  expect(money(-5, 'EUR')).toBe('-€0.05');
});

test('a JPY tenant: no decimals', () => {
  expect(money(500, 'JPY')).toBe('¥500');
  expect(money(1_234_567, 'JPY')).toBe('¥1,234,567');
});

test('a BHD tenant: three decimals, the code before the amount', () => {
  expect(money(1234, 'BHD')).toBe('BHD\u00a01.234');
  expect(money(75, 'BHD')).toBe('BHD\u00a00.075');
  expect(money(1_000_000, 'BHD')).toBe('BHD\u00a01,000.000');
});

test('percentages without float noise', () => {
  expect(percent(1000)).toBe('10 %');
  expect(percent(825)).toBe('8.25 %');
  expect(percent(1260)).toBe('12.6 %');
});

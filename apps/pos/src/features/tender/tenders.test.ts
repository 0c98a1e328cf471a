import { expect, test } from 'vitest';
import { parseAmount, quickCashAmounts } from './tenders.ts';

test('quick cash amounts: exact, then the next round notes', () => {
  expect(quickCashAmounts(1234)).toEqual([1234, 1500, 2000, 5000]);
  expect(quickCashAmounts(2000)).toEqual([2000, 5000, 10_000]);
});

test('typed amounts become minor units exactly', () => {
  expect(parseAmount('12')).toBe(1200);
  expect(parseAmount('12.5')).toBe(1250);
  expect(parseAmount('0,07')).toBe(7);
  expect(parseAmount('1.005')).toBeUndefined();
  expect(parseAmount('abc')).toBeUndefined();
  expect(parseAmount('0')).toBeUndefined();
});

import { expect, test } from 'vitest';
import { parseAmount, quickCashAmounts } from './tenders.ts';

test('quick cash amounts: exact, then the next round notes', () => {
  expect(quickCashAmounts(1234, 'USD')).toEqual([1234, 1500, 2000, 5000]);
  expect(quickCashAmounts(2000, 'USD')).toEqual([2000, 5000, 10_000]);
});

test('typed amounts become minor units exactly', () => {
  expect(parseAmount('12', 'USD')).toBe(1200);
  expect(parseAmount('12.5', 'USD')).toBe(1250);
  expect(parseAmount('0,07', 'USD')).toBe(7);
  expect(parseAmount('1.005', 'USD')).toBeUndefined();
  expect(parseAmount('abc', 'USD')).toBeUndefined();
  expect(parseAmount('0', 'USD')).toBeUndefined();
});

test('a JPY till (no decimals): whole yen typed, yen notes offered', () => {
  expect(parseAmount('500', 'JPY')).toBe(500);
  expect(parseAmount(' 1200 ', 'JPY')).toBe(1200);
  expect(parseAmount('12.5', 'JPY')).toBeUndefined();
  expect(parseAmount('12,5', 'JPY')).toBeUndefined();
  expect(parseAmount('0', 'JPY')).toBeUndefined();
  expect(quickCashAmounts(1234, 'JPY')).toEqual([1234, 1500, 2000, 5000]);
  expect(quickCashAmounts(6480, 'JPY')).toEqual([6480, 6500, 7000, 8000]);
  expect(quickCashAmounts(10_000, 'JPY')).toEqual([10_000]);
});

test('a BHD till (three decimals): fils typed exactly, dinar notes offered', () => {
  expect(parseAmount('1.5', 'BHD')).toBe(1500);
  expect(parseAmount('0,075', 'BHD')).toBe(75);
  expect(parseAmount('2', 'BHD')).toBe(2000);
  expect(parseAmount('1.2345', 'BHD')).toBeUndefined();
  expect(quickCashAmounts(1234, 'BHD')).toEqual([1234, 1500, 2000, 5000]);
  expect(quickCashAmounts(7250, 'BHD')).toEqual([7250, 7500, 8000, 10_000]);
});

import { describe, expect, it } from 'vitest';
import { money, moneyInput, parseMoney, parsePercent, percent } from './format.ts';

describe('money', () => {
  it('formats minor units exactly, in the currency’s exponent', () => {
    expect(money(12345, 'USD')).toBe('$123.45');
    expect(money(-5, 'USD')).toBe('-$0.05');
    expect(money(500, 'JPY')).toBe('¥500');
    // Beyond a double's exact cents a float would round; the decimal string does not.
    expect(money(9_007_199_254_740_991, 'USD')).toBe('$90,071,992,547,409.91');
  });

  it('reads what a person types into minor units, refusing what is not exact', () => {
    expect(parseMoney('2.50', 'USD')).toBe(250);
    expect(parseMoney(' 7 ', 'USD')).toBe(700);
    expect(parseMoney('1.999', 'USD')).toBeUndefined();
    expect(parseMoney('two', 'USD')).toBeUndefined();
    expect(moneyInput(1250, 'USD')).toBe('12.50');
  });
});

describe('percent', () => {
  it('shows basis points as a percentage and reads one back', () => {
    expect(percent(800)).toBe('8 %');
    expect(percent(825)).toBe('8.25 %');
    expect(percent(850)).toBe('8.5 %');
    expect(parsePercent('8.25')).toBe(825);
    expect(parsePercent('8,5')).toBe(850);
    expect(parsePercent('0')).toBe(0);
    expect(parsePercent('100')).toBe(10_000);
    expect(parsePercent('100.01')).toBeUndefined();
    expect(parsePercent('8.255')).toBeUndefined();
    expect(parsePercent('-1')).toBeUndefined();
  });
});

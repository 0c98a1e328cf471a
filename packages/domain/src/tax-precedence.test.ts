import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_TAX_RATE_BPS,
  TAX_CODES,
  TAX_RATE_SOURCES,
  isTaxable,
  isValidTaxRateBps,
  pickTaxRate,
  type TaxRateCandidates,
} from './tax-precedence.ts';

describe('pickTaxRate', () => {
  it('follows the precedence of docs/tax.md: explicit > register > location > tenant > default', () => {
    const all = { explicitBps: 100, registerBps: 200, locationBps: 300, tenantBps: 400, defaultBps: 500 };
    expect(pickTaxRate(all)).toEqual({ rate_bps: 100, source: 'explicit' });
    expect(pickTaxRate({ ...all, explicitBps: undefined })).toEqual({ rate_bps: 200, source: 'register' });
    expect(pickTaxRate({ locationBps: 300, tenantBps: 400, defaultBps: 500 })).toEqual({
      rate_bps: 300,
      source: 'location',
    });
    expect(pickTaxRate({ tenantBps: 400, defaultBps: 500 })).toEqual({ rate_bps: 400, source: 'tenant' });
    expect(pickTaxRate({ defaultBps: 500 })).toEqual({ rate_bps: 500, source: 'default' });
  });

  it('treats a rate of 0 as present: a tax-free register beats a taxed location', () => {
    expect(pickTaxRate({ registerBps: 0, locationBps: 800, defaultBps: 800 })).toEqual({
      rate_bps: 0,
      source: 'register',
    });
    expect(pickTaxRate({ explicitBps: 0, tenantBps: 800, defaultBps: 800 })).toEqual({
      rate_bps: 0,
      source: 'explicit',
    });
  });

  it('accepts the bounds 0 and 10000 and refuses anything else as a programming error', () => {
    expect(pickTaxRate({ defaultBps: MAX_TAX_RATE_BPS }).rate_bps).toBe(10_000);
    expect(() => pickTaxRate({ explicitBps: 10_001, defaultBps: 0 })).toThrow(RangeError);
    expect(() => pickTaxRate({ registerBps: -1, defaultBps: 0 })).toThrow(/register rate -1/);
    expect(() => pickTaxRate({ locationBps: 7.5, defaultBps: 0 })).toThrow(RangeError);
    expect(() => pickTaxRate({ defaultBps: Number.NaN })).toThrow(RangeError);
    expect(() => pickTaxRate({} as TaxRateCandidates)).toThrow(/defaultBps is required/);
  });

  it('never looks past the winner: a bad, less specific candidate does not matter', () => {
    expect(pickTaxRate({ registerBps: 500, tenantBps: -3, defaultBps: 800 })).toEqual({
      rate_bps: 500,
      source: 'register',
    });
  });

  it('property: the most specific present source always wins, with its own rate', () => {
    const rate = fc.integer({ min: 0, max: MAX_TAX_RATE_BPS });
    const maybe = fc.option(rate, { nil: undefined });
    fc.assert(
      fc.property(maybe, maybe, maybe, maybe, rate, (explicitBps, registerBps, locationBps, tenantBps, defaultBps) => {
        const input = { explicitBps, registerBps, locationBps, tenantBps, defaultBps };
        const byPrecedence = [explicitBps, registerBps, locationBps, tenantBps, defaultBps];
        const winner = byPrecedence.findIndex((bps) => bps !== undefined);
        const picked = pickTaxRate(input);
        expect(picked).toEqual({ rate_bps: byPrecedence[winner], source: TAX_RATE_SOURCES[winner] });
        // Adding a candidate less specific than the winner never changes the result.
        const lessSpecific = { ...input, tenantBps: tenantBps ?? 1234 };
        if (winner < 3) expect(pickTaxRate(lessSpecific)).toEqual(picked);
      }),
    );
  });

  it('property: the result is always a valid rate taken from one of the candidates', () => {
    const rate = fc.integer({ min: 0, max: MAX_TAX_RATE_BPS });
    const maybe = fc.option(rate, { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({ explicitBps: maybe, registerBps: maybe, locationBps: maybe, tenantBps: maybe, defaultBps: rate }),
        (input) => {
          const picked = pickTaxRate(input);
          expect(isValidTaxRateBps(picked.rate_bps)).toBe(true);
          const key = picked.source === 'default' ? 'defaultBps' : (`${picked.source}Bps` as const);
          expect(input[key]).toBe(picked.rate_bps);
        },
      ),
    );
  });
});

describe('isTaxable', () => {
  it('taxes STD only (docs/tax.md: EXEMPT, ZERO and NONE are not taxable)', () => {
    expect(TAX_CODES.filter(isTaxable)).toEqual(['STD']);
    expect(isTaxable('EXEMPT')).toBe(false);
    expect(isTaxable('ZERO')).toBe(false);
    expect(isTaxable('NONE')).toBe(false);
  });
});

describe('isValidTaxRateBps', () => {
  it('accepts integers from 0 to 10000 only', () => {
    expect([0, 1, 800, 10_000].every(isValidTaxRateBps)).toBe(true);
    expect([-1, 10_001, 0.5, Number.NaN, Number.POSITIVE_INFINITY].some(isValidTaxRateBps)).toBe(false);
  });
});

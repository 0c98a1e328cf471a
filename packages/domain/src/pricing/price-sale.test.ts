import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTotals } from '../money/totals.ts';
import { ROUNDING_MODES } from '../money/rounding.ts';
import { TAX_CODES } from '../tax-precedence.ts';
import {
  priceSale,
  pricedSaleLines,
  SALES_TAX_CODE,
  saleLineTaxes,
  type MoneySettings,
  type Sale,
} from './price-sale.ts';

const USD: MoneySettings = { prices_include_tax: false, money_rounding: 'half_up', cash_rounding_cents: null };

/** The seed cart: 2 × Soda Can 1.99 (STD) and 1 × Bottle Water 1.49 (EXEMPT). */
const SEED: Sale = {
  lines: [
    { quantity: 2, unit_price_cents: 199, tax_code: 'STD' },
    { quantity: 1, unit_price_cents: 149, tax_code: 'EXEMPT' },
  ],
  discount_bp: 1000,
};

describe('priceSale', () => {
  it('prices the seed sale: 10 % off, 8 % on the soda only, 5.21', () => {
    const t = priceSale(SEED, { sales_tax_bps: 800 }, USD);
    expect(t).toMatchObject({ subtotal_cents: 547, discount_cents: 55, tax_cents: 29, total_cents: 521 });
    expect(t.taxes).toEqual([{ code: SALES_TAX_CODE, rate_bps: 800, taxable_cents: 358, tax_cents: 29 }]);
    expect(t.trace).toBeUndefined();
    expect(priceSale(SEED, { sales_tax_bps: 800 }, USD, { trace: true }).trace?.at(-1)).toMatchObject({
      step: 'total',
      result: 521,
    });
  });

  it('taxes only taxable lines, and none at 0 %', () => {
    expect(saleLineTaxes('STD', { sales_tax_bps: 800 })).toEqual([{ code: 'tax', rate_bps: 800 }]);
    expect(saleLineTaxes('EXEMPT', { sales_tax_bps: 800 })).toEqual([]);
    expect(saleLineTaxes('STD', { sales_tax_bps: 0 })).toEqual([]);
  });

  it('cash rounding gives the cash due; the total is not rounded', () => {
    const t = priceSale(SEED, { sales_tax_bps: 800 }, { ...USD, cash_rounding_cents: 5 });
    expect(t).toMatchObject({ total_cents: 521, cash_due_cents: 520, cash_rounding_cents: -1 });
  });

  it('is exactly the totals engine fed the way the server and the till fed it before', () => {
    const line = fc.record({
      quantity: fc.integer({ min: 1, max: 50 }),
      unit_price_cents: fc.integer({ min: 0, max: 1_000_000 }),
      tax_code: fc.constantFrom(...TAX_CODES),
      discount_bp: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.boolean(),
        fc.constantFrom(...ROUNDING_MODES),
        fc.constantFrom(null, 5, 10),
        (lines, discount, rate, inclusive, rounding, cash) => {
          const settings = { prices_include_tax: inclusive, money_rounding: rounding, cash_rounding_cents: cash };
          const expected = computeTotals({
            lines: lines.map((l) => ({
              quantity: l.quantity,
              unit_price_cents: l.unit_price_cents,
              taxes: l.tax_code === 'STD' && rate > 0 ? [{ code: 'tax', rate_bps: rate }] : [],
              discount_bp: l.discount_bp,
            })),
            discount_bp: discount,
            prices_include_tax: inclusive,
            rounding,
            ...(cash === null ? {} : { cash_rounding_cents: cash }),
          });
          expect(priceSale({ lines, discount_bp: discount }, { sales_tax_bps: rate }, settings)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('pricedSaleLines', () => {
  it('gives each line the snapshot an order line keeps', () => {
    const sale: Sale = { ...SEED, lines: [{ ...SEED.lines[0]!, discount_bp: 1000 }, SEED.lines[1]!] };
    const rates = { sales_tax_bps: 800 };
    const totals = priceSale(sale, rates, USD);
    expect(pricedSaleLines(sale, totals, rates)).toEqual([
      {
        quantity: 2,
        unit_price_cents: 199,
        tax_code: 'STD',
        line_subtotal_cents: 398,
        line_discount_cents: 76,
        discount_percent_bp: 1000,
        item_discount_cents: 40,
        line_tax_cents: 26,
        line_total_cents: 348,
        tax_rate_bps: 800,
      },
      {
        quantity: 1,
        unit_price_cents: 149,
        tax_code: 'EXEMPT',
        line_subtotal_cents: 149,
        line_discount_cents: 15,
        discount_percent_bp: 0,
        item_discount_cents: 0,
        line_tax_cents: 0,
        line_total_cents: 134,
        tax_rate_bps: 0,
      },
    ]);
    expect(totals.total_cents).toBe(482);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTotals, type Cart, type CartLine } from './totals.ts';

const SALES_8 = [{ code: 'sales', rate_bps: 800 }];

describe('the seed worked example (docs/sources.md, seed 000)', () => {
  // Soda 2 × 199 STD + Water 1 × 149 EXEMPT, 10 % order discount, 8 % tax.
  const cart: Cart = {
    lines: [
      { quantity: 2, unit_price_cents: 199, taxes: SALES_8 },
      { quantity: 1, unit_price_cents: 149, taxes: [] },
    ],
    discount_bp: 1000,
  };

  it('gives subtotal 547, discount 55, tax 29, total 521', () => {
    const t = computeTotals(cart);
    expect(t).toMatchObject({ subtotal_cents: 547, discount_cents: 55, tax_cents: 29, total_cents: 521 });
  });

  it('gives every line its subtotal, discount share, tax and total', () => {
    const t = computeTotals(cart);
    expect(t.lines.map((l) => [l.subtotal_cents, l.discount_cents, l.tax_cents, l.total_cents])).toEqual([
      [398, 40, 29, 387],
      [149, 15, 0, 134],
    ]);
    expect(t.taxes).toEqual([{ code: 'sales', rate_bps: 800, taxable_cents: 358, tax_cents: 29 }]);
  });

  it('explains each step and where it rounded, on request only', () => {
    expect(computeTotals(cart).trace).toBeUndefined();
    const trace = computeTotals(cart, { trace: true }).trace ?? [];
    expect(trace.map((s) => s.step)).toEqual([
      'subtotal',
      'discount',
      'discount_by_tax_group',
      'tax_added',
      'discount_by_line',
      'total',
    ]);
    expect(trace[1]).toMatchObject({ exact: '547000/10000', result: 55, rounding: 'half_up' });
    expect(trace[3]).toMatchObject({ exact: '286400/10000', result: [29], rounding: 'half_up' });
  });

  it('follows the rounding mode: truncate gives discount 54 and tax 28', () => {
    const t = computeTotals({ ...cart, rounding: 'truncate' });
    expect(t).toMatchObject({ subtotal_cents: 547, discount_cents: 54, tax_cents: 28, total_cents: 521 });
  });
});

describe('line (item) discounts', () => {
  // The seed's cart with a 10 % discount on the Soda line as well as the 10 % order discount.
  const cart: Cart = {
    lines: [
      { quantity: 2, unit_price_cents: 199, taxes: SALES_8, discount_bp: 1000 },
      { quantity: 1, unit_price_cents: 149, taxes: [] },
    ],
    discount_bp: 1000,
  };

  it('takes the line discount first, then the order discount on what is left', () => {
    // Soda 398 − 40 (39.8) = 358; order discount (358 + 149) × 10 % = 50.7 → 51, split 36 / 15 by 358 : 149;
    // tax 8 % of 358 − 36 = 322 → 25.76 → 26; total 547 − 91 + 26 = 482.
    const t = computeTotals(cart);
    expect(t).toMatchObject({
      subtotal_cents: 547,
      item_discount_cents: 40,
      order_discount_cents: 51,
      discount_cents: 91,
      tax_cents: 26,
      total_cents: 482,
    });
    expect(
      t.lines.map((l) => [l.subtotal_cents, l.item_discount_cents, l.discount_cents, l.tax_cents, l.total_cents]),
    ).toEqual([
      [398, 40, 76, 26, 348],
      [149, 0, 15, 0, 134],
    ]);
  });

  it('stacks: 10 % off the line and 10 % off the order is 19 % off that line, not 20 %', () => {
    const t = computeTotals({
      lines: [{ quantity: 1, unit_price_cents: 10_000, taxes: [], discount_bp: 1000 }],
      discount_bp: 1000,
    });
    expect(t).toMatchObject({
      item_discount_cents: 1000,
      order_discount_cents: 900,
      discount_cents: 1900,
      total_cents: 8100,
    });
  });

  it('a line given away (100 %) costs nothing and takes no share of the order discount', () => {
    const t = computeTotals({
      lines: [
        { quantity: 1, unit_price_cents: 500, taxes: SALES_8, discount_bp: 10_000 },
        { quantity: 1, unit_price_cents: 1000, taxes: SALES_8 },
      ],
      discount_bp: 1000,
    });
    expect(t.lines.map((l) => [l.discount_cents, l.tax_cents, l.total_cents])).toEqual([
      [500, 0, 0],
      [100, 72, 972],
    ]);
  });

  it('shows the item discounts in the trace, and leaves the trace of a cart without them as it was', () => {
    const trace = computeTotals(cart, { trace: true }).trace ?? [];
    expect(trace.map((s) => s.step).slice(0, 3)).toEqual(['subtotal', 'item_discounts', 'discount']);
    expect(trace[1]).toMatchObject({ exact: '398000/10000, 0/10000', result: [40, 0], rounding: 'half_up' });
    expect(trace[2]).toMatchObject({ exact: '507000/10000', result: 51 });
  });

  it('rounds each line discount by the cart mode', () => {
    const half = { quantity: 1, unit_price_cents: 5, taxes: [], discount_bp: 1000 }; // 0.5 cent
    expect(computeTotals({ lines: [half] }).item_discount_cents).toBe(1);
    expect(computeTotals({ lines: [half], rounding: 'truncate' }).item_discount_cents).toBe(0);
    expect(computeTotals({ lines: [half], rounding: 'bankers' }).item_discount_cents).toBe(0);
  });
});

describe('tax-inclusive prices (VAT)', () => {
  it('takes the tax out of the price: 119 at 19 % is 100 net and 19 tax, and the total stays 119', () => {
    const t = computeTotals({
      lines: [{ quantity: 1, unit_price_cents: 119, taxes: [{ code: 'vat', rate_bps: 1900 }] }],
      prices_include_tax: true,
    });
    expect(t).toMatchObject({ subtotal_cents: 119, tax_cents: 19, total_cents: 119, prices_include_tax: true });
    expect(t.taxes).toEqual([{ code: 'vat', rate_bps: 1900, taxable_cents: 100, tax_cents: 19 }]);
  });

  it('applies the discount to the gross price, then finds the tax inside it', () => {
    const t = computeTotals({
      lines: [{ quantity: 2, unit_price_cents: 1190, taxes: [{ code: 'vat', rate_bps: 1900 }] }],
      discount_bp: 1000,
      prices_include_tax: true,
    });
    // 2380 − 238 = 2142 gross; net = 2142 / 1.19 = 1800; tax 342.
    expect(t).toMatchObject({ subtotal_cents: 2380, discount_cents: 238, tax_cents: 342, total_cents: 2142 });
  });
});

describe('several taxes on one line', () => {
  it('computes each tax on the same base and reports each rate', () => {
    const t = computeTotals({
      lines: [
        {
          quantity: 1,
          unit_price_cents: 1000,
          taxes: [
            { code: 'state', rate_bps: 600 },
            { code: 'city', rate_bps: 225 },
          ],
        },
      ],
    });
    expect(t).toMatchObject({ tax_cents: 83, total_cents: 1083 }); // 60 + 22.5 → 23
    expect(t.lines[0]?.taxes.map((x) => [x.code, x.tax_cents])).toEqual([
      ['city', 23],
      ['state', 60],
    ]);
  });

  it('splits included taxes by rate', () => {
    const t = computeTotals({
      lines: [
        {
          quantity: 1,
          unit_price_cents: 1100,
          taxes: [
            { code: 'a', rate_bps: 500 },
            { code: 'b', rate_bps: 500 },
          ],
        },
      ],
      prices_include_tax: true,
    });
    expect(t.tax_cents).toBe(100);
    expect(t.taxes.map((x) => x.tax_cents)).toEqual([50, 50]);
  });
});

describe('cash rounding', () => {
  it('rounds only the cash due to the smallest coin, never the total', () => {
    const t = computeTotals({ lines: [{ quantity: 1, unit_price_cents: 521, taxes: [] }], cash_rounding_cents: 5 });
    expect(t).toMatchObject({ total_cents: 521, cash_due_cents: 520, cash_rounding_cents: -1 });
    const up = computeTotals({ lines: [{ quantity: 1, unit_price_cents: 523, taxes: [] }], cash_rounding_cents: 5 });
    expect(up).toMatchObject({ total_cents: 523, cash_due_cents: 525, cash_rounding_cents: 2 });
  });
});

describe('input', () => {
  it('refuses quantities that are not positive whole numbers, negative prices and discounts out of range', () => {
    const line = { quantity: 1, unit_price_cents: 100, taxes: [] };
    expect(() => computeTotals({ lines: [{ ...line, quantity: 0 }] })).toThrow(/quantity/);
    expect(() => computeTotals({ lines: [{ ...line, quantity: 1.5 }] })).toThrow(/quantity/);
    expect(() => computeTotals({ lines: [{ ...line, unit_price_cents: -1 }] })).toThrow(/unit_price_cents/);
    expect(() => computeTotals({ lines: [line], discount_bp: 10_001 })).toThrow(/discount_bp/);
    expect(() => computeTotals({ lines: [{ ...line, discount_bp: -1 }] })).toThrow(/lines\[0\]\.discount_bp/);
    expect(() => computeTotals({ lines: [{ ...line, discount_bp: 12.5 }] })).toThrow(/lines\[0\]\.discount_bp/);
    expect(() => computeTotals({ lines: [{ ...line, taxes: [{ code: 'x', rate_bps: -1 }] }] })).toThrow(/rate_bps/);
  });

  it('prices an empty cart at zero', () => {
    expect(computeTotals({ lines: [] })).toMatchObject({ subtotal_cents: 0, total_cents: 0, lines: [] });
  });
});

// ---- laws ---------------------------------------------------------------------------------------------------

const taxSet = fc.constantFrom(
  [],
  [{ code: 'sales', rate_bps: 800 }],
  [{ code: 'sales', rate_bps: 725 }],
  [
    { code: 'state', rate_bps: 600 },
    { code: 'city', rate_bps: 225 },
  ],
  [{ code: 'vat', rate_bps: 2000 }],
);
const line: fc.Arbitrary<CartLine> = fc.record({
  quantity: fc.integer({ min: 1, max: 50 }),
  unit_price_cents: fc.integer({ min: 0, max: 500_000 }),
  taxes: taxSet,
  // Most lines carry no discount of their own; some do, up to 100 %.
  discount_bp: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 10_000 })),
});
const cart: fc.Arbitrary<Cart> = fc.record({
  lines: fc.array(line, { minLength: 1, maxLength: 25 }),
  discount_bp: fc.integer({ min: 0, max: 10_000 }),
  prices_include_tax: fc.boolean(),
  rounding: fc.constantFrom('half_up' as const, 'truncate' as const, 'bankers' as const),
});

describe('laws (property tests)', () => {
  it('line discounts add up to the order discount, line taxes to the order tax, lines to the total', () => {
    fc.assert(
      fc.property(cart, (c) => {
        const t = computeTotals(c);
        const sum = (f: (l: (typeof t.lines)[number]) => number) => t.lines.reduce((a, l) => a + f(l), 0);
        expect(sum((l) => l.discount_cents)).toBe(t.discount_cents);
        expect(sum((l) => l.item_discount_cents)).toBe(t.item_discount_cents);
        expect(t.item_discount_cents + t.order_discount_cents).toBe(t.discount_cents);
        expect(sum((l) => l.tax_cents)).toBe(t.tax_cents);
        expect(sum((l) => l.subtotal_cents)).toBe(t.subtotal_cents);
        expect(sum((l) => l.total_cents)).toBe(t.total_cents);
        expect(t.taxes.reduce((a, x) => a + x.tax_cents, 0)).toBe(t.tax_cents);
        expect(t.total_cents).toBe(
          t.subtotal_cents - t.discount_cents + (c.prices_include_tax === true ? 0 : t.tax_cents),
        );
      }),
    );
  });

  it('never drifts by a cent when a line is split into two (2 × 199 or 1 × 199 + 1 × 199)', () => {
    fc.assert(
      fc.property(cart, fc.nat(), fc.nat(), (c, which, at) => {
        const index = which % c.lines.length;
        const original = c.lines[index] as CartLine;
        // A line's own discount is rounded on that line (the cashier's discount on it), so only plain lines split.
        fc.pre(original.quantity >= 2 && (original.discount_bp ?? 0) === 0);
        const first = 1 + (at % (original.quantity - 1));
        const split: Cart = {
          ...c,
          lines: [
            ...c.lines.slice(0, index),
            { ...original, quantity: first },
            { ...original, quantity: original.quantity - first },
            ...c.lines.slice(index + 1),
          ],
        };
        const a = computeTotals(c);
        const b = computeTotals(split);
        expect([b.subtotal_cents, b.discount_cents, b.tax_cents, b.total_cents]).toEqual([
          a.subtotal_cents,
          a.discount_cents,
          a.tax_cents,
          a.total_cents,
        ]);
      }),
    );
  });

  it('does not depend on the order of the lines', () => {
    fc.assert(
      fc.property(cart, (c) => {
        const reversed = computeTotals({ ...c, lines: [...c.lines].reverse() });
        const t = computeTotals(c);
        expect([reversed.subtotal_cents, reversed.discount_cents, reversed.tax_cents, reversed.total_cents]).toEqual([
          t.subtotal_cents,
          t.discount_cents,
          t.tax_cents,
          t.total_cents,
        ]);
      }),
    );
  });

  it('never gives a line more discount than its subtotal, nor a negative tax', () => {
    fc.assert(
      fc.property(cart, (c) => {
        for (const l of computeTotals(c).lines) {
          expect(l.discount_cents).toBeLessThanOrEqual(l.subtotal_cents);
          expect(l.tax_cents).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});

import { allocate } from './allocate.ts';
import { AmountTooLargeError, assertSafeInteger, divRound, toSafeNumber, type RoundingMode } from './rounding.ts';

/** One tax that applies to a line: e.g. `{code: 'sales', rate_bps: 800}` is 8 %. */
export interface LineTax {
  readonly code: string;
  readonly rate_bps: number;
}

/** A cart line as the totals engine sees it: what was sold, how many, at what price, taxed how. */
export interface CartLine {
  /** A positive whole number. */
  readonly quantity: number;
  /** Price of one unit in minor units; tax included when the cart's prices include tax. */
  readonly unit_price_cents: number;
  /** The taxes on this line; empty for an untaxed line (tax codes EXEMPT, ZERO, NONE). */
  readonly taxes: readonly LineTax[];
  /** This line's own discount in basis points, 0–10,000 (a line discount at the till), taken before the order's. */
  readonly discount_bp?: number;
}

export interface Cart {
  readonly lines: readonly CartLine[];
  /** Order discount in basis points, 0–10,000 (1,000 = 10 %). */
  readonly discount_bp?: number;
  /** True where shelf prices include tax (VAT countries); false where tax is added at the till (the seeds). */
  readonly prices_include_tax?: boolean;
  /** How every rounding of this cart is done; `half_up` by default. */
  readonly rounding?: RoundingMode;
  /** When set, the cash due is rounded to a multiple of this (5 → the 5-cent coin). The total itself is not. */
  readonly cash_rounding_cents?: number;
}

/** A tax's part of one line. */
export interface LineTaxAmount extends LineTax {
  readonly tax_cents: number;
}

export interface LineTotals {
  /** quantity × unit price. */
  readonly subtotal_cents: number;
  /** This line's own discount: subtotal × the line's discount_bp, rounded once. */
  readonly item_discount_cents: number;
  /** All the discount on this line: its own plus its share of the order discount. */
  readonly discount_cents: number;
  /** This line's share of the order's tax (included in the price when prices include tax). */
  readonly tax_cents: number;
  /** What the line costs: subtotal − all its discount, plus tax when tax is added on top. */
  readonly total_cents: number;
  readonly taxes: readonly LineTaxAmount[];
}

/** Tax per code and rate, as a receipt shows it. */
export interface TaxSummary extends LineTax {
  /** The amount the tax was taken on (net of tax, after discount). */
  readonly taxable_cents: number;
  readonly tax_cents: number;
}

/** One step of a computation, for `explain`: what was computed, from what, and how it was rounded. */
export interface TraceStep {
  readonly step: string;
  readonly detail: string;
  readonly result: number | readonly number[];
  /** The exact value before rounding, as a fraction. */
  readonly exact?: string;
  readonly rounding?: RoundingMode | 'largest_remainder';
}

export interface Totals {
  readonly lines: readonly LineTotals[];
  readonly subtotal_cents: number;
  /** Σ the lines' own discounts. */
  readonly item_discount_cents: number;
  /** The order discount, taken on what the lines cost after their own discounts. */
  readonly order_discount_cents: number;
  /** Every discount: item discounts + the order discount. */
  readonly discount_cents: number;
  readonly tax_cents: number;
  readonly total_cents: number;
  readonly taxes: readonly TaxSummary[];
  readonly prices_include_tax: boolean;
  /** The total rounded to the smallest coin, when cash rounding is set; what a cash customer pays. */
  readonly cash_due_cents?: number;
  /** cash_due − total (e.g. −2 or +1), when cash rounding is set. */
  readonly cash_rounding_cents?: number;
  readonly trace?: readonly TraceStep[];
}

const BPS = 10_000n;

function isBasisPoints(bp: number): boolean {
  return Number.isInteger(bp) && bp >= 0 && bp <= 10_000;
}

function validate(cart: Cart): void {
  if (!isBasisPoints(cart.discount_bp ?? 0)) throw new RangeError('discount_bp must be 0–10000');
  cart.lines.forEach((line, i) => {
    if (!isBasisPoints(line.discount_bp ?? 0)) throw new RangeError(`lines[${i}].discount_bp must be 0–10000`);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      throw new RangeError(`lines[${i}].quantity must be a positive whole number`);
    }
    if (!Number.isSafeInteger(line.unit_price_cents) || line.unit_price_cents < 0) {
      throw new RangeError(`lines[${i}].unit_price_cents must be a non-negative whole number`);
    }
    for (const tax of line.taxes) {
      if (!isBasisPoints(tax.rate_bps)) {
        throw new RangeError(`lines[${i}] tax ${tax.code}: rate_bps must be 0–10000`);
      }
    }
  });
  const cash = cart.cash_rounding_cents;
  if (cash !== undefined && (!Number.isSafeInteger(cash) || cash < 1)) {
    throw new RangeError('cash_rounding_cents must be a positive whole number');
  }
}

/** Lines with the same set of taxes are taxed together: one rounding per tax and group, not per line. */
interface TaxGroup {
  readonly key: string;
  readonly taxes: readonly LineTax[];
  readonly lineIndexes: number[];
}

function groupByTaxes(lines: readonly CartLine[]): TaxGroup[] {
  const groups = new Map<string, TaxGroup>();
  lines.forEach((line, index) => {
    const taxes = [...line.taxes].sort((a, b) =>
      a.code === b.code ? a.rate_bps - b.rate_bps : a.code < b.code ? -1 : 1,
    );
    const key = taxes.map((t) => `${t.code}:${t.rate_bps}`).join('|');
    const group = groups.get(key) ?? { key, taxes, lineIndexes: [] };
    group.lineIndexes.push(index);
    groups.set(key, group);
  });
  return [...groups.values()];
}

/**
 * Prices a cart: every line's subtotal, discount share, tax and total, and the order's totals.
 *
 * The order of work, and where each rounding happens:
 * 1. line subtotal = quantity × unit price (exact);
 * 2. a line's own (item) discount = line subtotal × the line's discount_bp / 10,000, rounded once per line;
 * 3. order discount = (subtotal − item discounts) × discount_bp / 10,000, rounded once by the cart's mode, so a
 *    10 % line discount and a 10 % order discount make 19 % on that line, never 20 %;
 * 4. the order discount is allocated to tax groups (lines with the same taxes) by what they cost after their item
 *    discounts, then to the lines of each group (largest remainder: the shares add up to the discount exactly);
 * 5. each tax of a group is computed once on the group's discounted amount, rounded once: added on top
 *    (base × rate) or, for prices that include tax, taken out (base − base × 10,000 / (10,000 + Σ rates),
 *    split between the group's taxes by rate);
 * 6. each group tax is allocated to the group's lines by their discounted amounts.
 * So the lines' discounts add up to the order's discounts, line taxes to the order tax, and splitting a line
 * without its own discount into two (2 × 199 or 1 × 199 + 1 × 199) never changes a total: tax is never rounded per
 * line. (An item discount is rounded per line by nature: it is the cashier's discount on that line.)
 */
export function computeTotals(cart: Cart, options: { trace?: boolean } = {}): Totals {
  validate(cart);
  const mode = cart.rounding ?? 'half_up';
  const inclusive = cart.prices_include_tax ?? false;
  const trace: TraceStep[] | undefined = options.trace === true ? [] : undefined;

  // A product of two safe integers is exact whenever it is itself a safe integer; anything larger is refused.
  const subtotals = cart.lines.map((l, i) => {
    const value = l.quantity * l.unit_price_cents;
    if (!Number.isSafeInteger(value)) throw new AmountTooLargeError(`lines[${i}] subtotal`);
    return value;
  });
  const subtotal = subtotals.reduce((a, b) => a + b, 0);
  assertSafeInteger(subtotal, 'subtotal');
  trace?.push({ step: 'subtotal', detail: 'Σ quantity × unit price', result: subtotal });

  const itemDiscounts = cart.lines.map((l, i) =>
    toSafeNumber(divRound(BigInt(subtotals[i] ?? 0) * BigInt(l.discount_bp ?? 0), BPS, mode), 'item discount'),
  );
  const itemDiscount = itemDiscounts.reduce((a, b) => a + b, 0);
  if (itemDiscount > 0) {
    trace?.push({
      step: 'item_discounts',
      detail: 'each line: subtotal × its discount_bp / 10000',
      exact: cart.lines.map((l, i) => `${BigInt(subtotals[i] ?? 0) * BigInt(l.discount_bp ?? 0)}/10000`).join(', '),
      result: itemDiscounts,
      rounding: mode,
    });
  }
  // What each line costs after its own discount: the base of the order discount and of its allocation.
  const afterItems = subtotals.map((s, i) => s - (itemDiscounts[i] ?? 0));
  const afterItemsTotal = subtotal - itemDiscount;

  const bp = cart.discount_bp ?? 0;
  const orderDiscount = toSafeNumber(divRound(BigInt(afterItemsTotal) * BigInt(bp), BPS, mode), 'discount');
  trace?.push({
    step: 'discount',
    detail: itemDiscount > 0 ? `(subtotal − item discounts) × ${bp} / 10000` : `subtotal × ${bp} / 10000`,
    exact: `${BigInt(afterItemsTotal) * BigInt(bp)}/10000`,
    result: orderDiscount,
    rounding: mode,
  });

  const groups = groupByTaxes(cart.lines);
  const groupBases = groups.map((g) => g.lineIndexes.reduce((sum, i) => sum + (afterItems[i] ?? 0), 0));
  const groupDiscounts = allocate(orderDiscount, groupBases);
  trace?.push({
    step: 'discount_by_tax_group',
    detail: `order discount allocated to tax groups [${groups.map((g) => g.key || 'untaxed').join(', ')}] by ${
      itemDiscount > 0 ? 'what they cost after item discounts' : 'subtotal'
    }`,
    result: groupDiscounts,
    rounding: 'largest_remainder',
  });

  // Each line's share of the order discount.
  const lineDiscounts = new Array<number>(cart.lines.length).fill(0);
  const lineTaxes: LineTaxAmount[][] = cart.lines.map(() => []);
  const summaries = new Map<string, { code: string; rate_bps: number; taxable: number; tax: number }>();

  groups.forEach((group, g) => {
    const shares = allocate(
      groupDiscounts[g] ?? 0,
      group.lineIndexes.map((i) => afterItems[i] ?? 0),
    );
    group.lineIndexes.forEach((i, k) => (lineDiscounts[i] = shares[k] ?? 0));
    if (group.taxes.length === 0) return;

    const base = (groupBases[g] ?? 0) - (groupDiscounts[g] ?? 0);
    const lineBases = group.lineIndexes.map((i) => (afterItems[i] ?? 0) - (lineDiscounts[i] ?? 0));
    let taxAmounts: number[];
    if (inclusive) {
      const totalRate = group.taxes.reduce((sum, t) => sum + t.rate_bps, 0);
      const net = toSafeNumber(divRound(BigInt(base) * BPS, BPS + BigInt(totalRate), mode), 'net');
      taxAmounts = allocate(
        base - net,
        group.taxes.map((t) => t.rate_bps),
      );
      trace?.push({
        step: 'tax_included',
        detail: `group ${group.key}: tax in ${base} = ${base} − ${base} × 10000 / ${10_000 + totalRate}`,
        exact: `${BigInt(base) * BPS}/${10_000 + totalRate}`,
        result: taxAmounts,
        rounding: mode,
      });
    } else {
      taxAmounts = group.taxes.map((t) => toSafeNumber(divRound(BigInt(base) * BigInt(t.rate_bps), BPS, mode), 'tax'));
      trace?.push({
        step: 'tax_added',
        detail: `group ${group.key}: ${base} × rate / 10000 for each tax`,
        exact: group.taxes.map((t) => `${BigInt(base) * BigInt(t.rate_bps)}/10000`).join(', '),
        result: taxAmounts,
        rounding: mode,
      });
    }
    group.taxes.forEach((tax, t) => {
      const amount = taxAmounts[t] ?? 0;
      const perLine = allocate(amount, lineBases);
      group.lineIndexes.forEach((i, k) => lineTaxes[i]?.push({ ...tax, tax_cents: perLine[k] ?? 0 }));
      const summaryKey = `${tax.code}:${tax.rate_bps}`;
      const summary = summaries.get(summaryKey) ?? { code: tax.code, rate_bps: tax.rate_bps, taxable: 0, tax: 0 };
      summary.taxable += inclusive ? base - taxAmounts.reduce((a, b) => a + b, 0) : base;
      summary.tax += amount;
      summaries.set(summaryKey, summary);
    });
  });
  trace?.push({
    step: 'discount_by_line',
    detail: 'group order discounts allocated to lines by what they cost after item discounts',
    result: lineDiscounts,
    rounding: 'largest_remainder',
  });

  const lines: LineTotals[] = cart.lines.map((_, i) => {
    const taxes = lineTaxes[i] ?? [];
    const tax = taxes.reduce((sum, t) => sum + t.tax_cents, 0);
    const lineSubtotal = subtotals[i] ?? 0;
    const lineDiscount = (itemDiscounts[i] ?? 0) + (lineDiscounts[i] ?? 0);
    return {
      subtotal_cents: lineSubtotal,
      item_discount_cents: itemDiscounts[i] ?? 0,
      discount_cents: lineDiscount,
      tax_cents: tax,
      total_cents: lineSubtotal - lineDiscount + (inclusive ? 0 : tax),
      taxes,
    };
  });
  const tax = lines.reduce((sum, l) => sum + l.tax_cents, 0);
  const discount = itemDiscount + orderDiscount;
  const total = subtotal - discount + (inclusive ? 0 : tax);
  // Each part is exact; tax added on top may still take the total past 2^53 (all terms are ≥ 0, so a sum that
  // lost precision is itself past the limit and is caught here).
  assertSafeInteger(tax, 'tax');
  assertSafeInteger(total, 'total');
  trace?.push({
    step: 'total',
    detail: inclusive ? 'subtotal − discount (tax included)' : 'subtotal − discount + tax',
    result: total,
  });

  const result: Totals = {
    lines,
    subtotal_cents: subtotal,
    item_discount_cents: itemDiscount,
    order_discount_cents: orderDiscount,
    discount_cents: discount,
    tax_cents: tax,
    total_cents: total,
    taxes: [...summaries.values()].map((s) => ({
      code: s.code,
      rate_bps: s.rate_bps,
      taxable_cents: s.taxable,
      tax_cents: s.tax,
    })),
    prices_include_tax: inclusive,
  };
  if (cart.cash_rounding_cents === undefined) return trace === undefined ? result : { ...result, trace };

  const increment = BigInt(cart.cash_rounding_cents);
  const cashDue = toSafeNumber(divRound(BigInt(total), increment, mode) * increment, 'cash due');
  trace?.push({
    step: 'cash_rounding',
    detail: `total rounded to a multiple of ${cart.cash_rounding_cents} for cash only`,
    exact: `${total}/${cart.cash_rounding_cents}`,
    result: cashDue,
    rounding: mode,
  });
  const withCash = { ...result, cash_due_cents: cashDue, cash_rounding_cents: cashDue - total };
  return trace === undefined ? withCash : { ...withCash, trace };
}

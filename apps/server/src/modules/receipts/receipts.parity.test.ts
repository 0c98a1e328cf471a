import {
  priceSale,
  ROUNDING_MODES,
  receiptDataFromOrder,
  renderReceiptText,
  saleReceiptData,
  TAX_CODES,
  type ReceiptNames,
  type TenderInput,
  type Totals,
} from '@novapos/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_CARDS, tenderRows } from '../orders/orders.cards.ts';
import { orderDto } from '../orders/orders.dto.ts';
import { savedOrderOf } from '../orders/orders.insert.repo.ts';
import { priceFacts, type PricingFacts } from '../orders/orders.pricing.ts';
import { newOrderRecord } from '../orders/orders.record.ts';
import { settle } from '../orders/orders.service.ts';

/*
 * The receipt the till prints for a sale it completes offline (the domain's `saleReceiptData`, which the till's
 * `receiptFromCart` calls) equals, line for line, the receipt the server prints for the order it makes of the same
 * sale: the server's own pure path — pricing from the catalog's facts (`priceFacts`), the tenders' settlement,
 * the order record and lines it saves (`newOrderRecord`, `tenderRows`), what the database hands back
 * (`savedOrderOf`), the API's order (`orderDto`) and the receipt builder. Only the database round trip is left
 * out; the order number is the server's to give (the till prints "Open order" until it has one).
 */

const TENANT = '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a00';
const REGISTER = { id: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a01', location_id: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a02' };
const ORDER_ID = '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a03';
const AT = new Date('2025-03-14T19:04:05.000Z');
const NAMES: ReceiptNames = {
  business_name: 'Corner Shop',
  location_name: 'Main Street',
  address_lines: ['12 Main Street'],
  register_name: 'Till 1',
  time_zone: 'Europe/Paris',
  footer_lines: ['Thank you!'],
};

const variantId = (i: number) => `0195a1b2-c3d4-7e5f-8a9b-${String(i).padStart(12, '0')}`;

const line = fc.record({
  name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,45}$/),
  unit_price_cents: fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 5_000_000 })),
  quantity: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 40 })),
  tax_code: fc.constantFrom(...TAX_CODES),
  discount_bp: fc.oneof(fc.constant(0), fc.constantFrom(500, 1000, 2500), fc.integer({ min: 0, max: 10_000 })),
});

const sale = fc.record({
  currency: fc.constantFrom('USD', 'EUR', 'JPY', 'BHD'),
  rate_bps: fc.constantFrom(0, 500, 700, 800, 825, 1900, 2000, 2750),
  prices_include_tax: fc.boolean(),
  money_rounding: fc.constantFrom(...ROUNDING_MODES),
  cash_rounding_cents: fc.constantFrom(null, 5, 10, 50),
  lines: fc.array(line, { minLength: 1, maxLength: 6 }),
  discount_bp: fc.oneof(fc.constant(0), fc.constantFrom(1000, 1500), fc.integer({ min: 0, max: 9_999 })),
  note: fc.constantFrom(null, 'Gift wrap please', 'Customer will collect tomorrow morning from the front desk'),
  payment: fc.record({
    kind: fc.constantFrom('cash_exact', 'cash_over', 'card', 'split'),
    extra: fc.integer({ min: 0, max: 10_000 }),
    share: fc.integer({ min: 1, max: 99 }),
  }),
});

type GeneratedSale = typeof sale extends fc.Arbitrary<infer T> ? T : never;

/** Tenders that pay the sale, chosen from what is due (as a cashier would). */
function tendersFor(s: GeneratedSale, totals: Totals): TenderInput[] {
  const total = totals.total_cents;
  // Cash of at least the total and the cash due (the till's "exact" button): cash rounding then rounds what it pays.
  const exactCash = Math.max(total, totals.cash_due_cents ?? total);
  const { kind, extra, share } = s.payment;
  if (kind === 'card') return [{ method: 'external_card', amount_cents: total, reference: 'T-1' }];
  if (kind === 'split' && total >= 2) {
    const card = Math.max(1, Math.floor((total * share) / 100));
    // Cash pays the rest, with room for the rest's cash rounding.
    return [
      { method: 'external_card', amount_cents: Math.min(card, total - 1), reference: 'T-2' },
      { method: 'cash', amount_cents: total - Math.min(card, total - 1) + 100 + extra },
    ];
  }
  return [{ method: 'cash', amount_cents: kind === 'cash_over' ? exactCash + extra : exactCash }];
}

/** The till's path: the sale as its cart holds it, priced and printed by the domain's `saleReceiptData`. */
function tillReceipt(s: GeneratedSale, tenders: readonly TenderInput[]) {
  const lines = s.lines.map((l, i) => ({ ...l, variant_id: variantId(i), sku: `SKU-${i}` }));
  const settings = {
    prices_include_tax: s.prices_include_tax,
    money_rounding: s.money_rounding,
    cash_rounding_cents: s.cash_rounding_cents,
  };
  return saleReceiptData(
    { lines, discount_bp: s.discount_bp, note: s.note },
    tenders,
    { rates: { sales_tax_bps: s.rate_bps }, settings, currency: s.currency },
    NAMES,
    AT.toISOString(),
  );
}

/** The server's path: the catalog's facts priced, settled, saved as an order, answered as the API's order. */
function serverReceipt(s: GeneratedSale, tenders: readonly TenderInput[]) {
  const facts: PricingFacts = {
    items: s.lines.map((l, i) => ({
      variant_id: variantId(i),
      product_id: variantId(100 + i),
      sku: `SKU-${i}`,
      name: l.name,
      unit_price_cents: l.unit_price_cents,
      tax_code: l.tax_code,
      archived: false,
    })),
    settings: {
      currency: s.currency,
      prices_include_tax: s.prices_include_tax,
      money_rounding: s.money_rounding,
      cash_rounding_cents: s.cash_rounding_cents,
      stock_policy: 'allow_negative',
    },
    // The register's own rate: what the till's context carries too.
    rates: { register_bps: s.rate_bps, location_bps: null, tenant_bps: null },
  };
  const cart = priceFacts(facts, {
    items: s.lines.map((l, i) => ({
      variant_id: variantId(i),
      quantity: l.quantity,
      discount_percent_bp: l.discount_bp,
    })),
    discountBp: s.discount_bp,
    defaultTaxBps: 0,
    defaultRounding: 'half_up',
    refuseArchived: true,
  });
  const settlement = settle(cart.totals.total_cents, tenders, {
    cashRoundingCents: cart.settings.cash_rounding_cents ?? undefined,
    rounding: cart.settings.money_rounding,
  });
  const { order, lines } = newOrderRecord(cart, {
    id: ORDER_ID,
    register: REGISTER,
    discountBp: s.discount_bp,
    note: s.note,
    settlement,
    declined: false,
    createdBy: null,
  });
  const kept = tenders.map((_, index) => ({ index }));
  const tenderInputs = tenderRows(settlement, kept, NO_CARDS).map((t, i) => ({ ...t, id: variantId(900 + i) }));
  const saved = savedOrderOf(TENANT, order, lines, tenderInputs, {
    number: 42,
    created_at: AT,
    completed_at: order.status === 'completed' ? AT : null,
    now: AT,
  });
  return receiptDataFromOrder(orderDto(saved.order, saved.lines, saved.tenders), NAMES);
}

describe('the till prints the receipt the server prints', () => {
  it('line for line, for random sales (tax rates, line and order discounts, inclusive prices, cash rounding)', () => {
    fc.assert(
      fc.property(sale, (s) => {
        const totals = priceSale(
          s,
          { sales_tax_bps: s.rate_bps },
          { ...s, cash_rounding_cents: s.cash_rounding_cents },
        );
        fc.pre(totals.total_cents > 0);
        const tenders = tendersFor(s, totals);
        const server = serverReceipt(s, tenders);
        const till = { ...tillReceipt(s, tenders), order_number: server.order_number };
        expect(till).toEqual(server);
        for (const width of [42, 48] as const) {
          expect(renderReceiptText(till, { width }).split('\n')).toEqual(
            renderReceiptText(server, { width }).split('\n'),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('prints tax per rate on both sides, and the same "Tax 8%" line for the seed sale', () => {
    const seed: GeneratedSale = {
      currency: 'USD',
      rate_bps: 800,
      prices_include_tax: false,
      money_rounding: 'half_up',
      cash_rounding_cents: null,
      lines: [
        { name: 'Soda Can', unit_price_cents: 199, quantity: 2, tax_code: 'STD', discount_bp: 0 },
        { name: 'Bottle Water', unit_price_cents: 149, quantity: 1, tax_code: 'EXEMPT', discount_bp: 0 },
      ],
      discount_bp: 1000,
      note: null,
      payment: { kind: 'cash_over', extra: 479, share: 50 },
    };
    const tenders = [{ method: 'cash' as const, amount_cents: 1000 }];
    const server = serverReceipt(seed, tenders);
    expect(server.taxes).toEqual([{ rate_bps: 800, tax_cents: 29 }]);
    expect(tillReceipt(seed, tenders).taxes).toEqual(server.taxes);
    expect(renderReceiptText(server, { width: 42 })).toMatch(/^Tax 8% +0\.29$/m);
  });
});

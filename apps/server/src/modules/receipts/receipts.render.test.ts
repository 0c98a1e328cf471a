import {
  DEFAULT_RECEIPT_FOOTER,
  receiptDataFromOrder,
  receiptTaxesByRate,
  renderReceiptText,
  type ReceiptNames,
} from '@novapos/domain';
import { describe, expect, it } from 'vitest';
import type { OrderDto } from '../orders/index.ts';
import { encodeReceiptEscPos } from './receipts.escpos.ts';
import { escapeHtml, renderReceiptHtml } from './receipts.html.ts';
import { renderReceipt } from './receipts.service.ts';

const ID = '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const line = {
  variant_id: ID,
  product_id: ID,
  line_discount_cents: 0,
  discount_percent_bp: 0,
  item_discount_cents: 0,
  tax_code: 'STD' as const,
  tax_rate_bps: 800,
};

/** The seed sale as the orders module answers it. */
const SEED_ORDER: OrderDto = {
  id: ID,
  number: 7,
  status: 'completed',
  location_id: ID,
  register_id: ID,
  currency: 'USD',
  items: [
    {
      ...line,
      position: 1,
      sku: 'SKU-SODA',
      name: 'Soda Can',
      quantity: 2,
      unit_price_cents: 199,
      line_subtotal_cents: 398,
      line_discount_cents: 40,
      line_tax_cents: 29,
      line_total_cents: 387,
    },
    {
      ...line,
      position: 2,
      sku: 'SKU-WATER',
      name: 'Bottle Water',
      quantity: 1,
      unit_price_cents: 149,
      line_subtotal_cents: 149,
      line_discount_cents: 15,
      line_tax_cents: 0,
      line_total_cents: 134,
      tax_code: 'EXEMPT',
      tax_rate_bps: 0,
    },
  ],
  subtotal_cents: 547,
  discount_percent_bp: 1000,
  discount_cents: 55,
  item_discount_cents: 0,
  order_discount_cents: 55,
  tax_rate_bps: 800,
  tax_rate_source: 'default',
  tax_cents: 29,
  total_cents: 521,
  prices_include_tax: false,
  paid_cents: 521,
  change_cents: 479,
  cash_rounding_cents: 0,
  tenders: [
    {
      id: ID,
      method: 'cash',
      tendered_cents: 1000,
      applied_cents: 521,
      change_cents: 479,
      reversal: null,
      reversed_at: null,
      reference: null,
      payment_intent_id: null,
      card_brand: null,
      card_last4: null,
      created_at: '2025-03-14T19:04:05.000Z',
    },
  ],
  note: null,
  created_at: '2025-03-14T19:03:00.000Z',
  completed_at: '2025-03-14T19:04:05.000Z',
  voided_at: null,
  void_reason: null,
  cancelled_at: null,
  cancel_reason: null,
  created_offline_at: null,
  replay_resolution: null,
  offline_card_review: false,
};

const NAMES: ReceiptNames = {
  business_name: 'Seed Shop',
  location_name: 'Main',
  address_lines: [],
  register_name: 'Register 1',
  time_zone: 'UTC',
  footer_lines: DEFAULT_RECEIPT_FOOTER,
};

const SEED = receiptDataFromOrder(SEED_ORDER, NAMES);

describe('an order as receipt data', () => {
  it('prints the seed sale with "Paid (cash)" and "Change"', () => {
    expect(renderReceiptText(SEED, { width: 42 })).toMatchInlineSnapshot(`
      "                Seed Shop
                         Main

      Receipt #7                2025-03-14 19:04
      Register: Register 1
      ------------------------------------------
      2 x Soda Can                          3.98
          @ 1.99
      1 x Bottle Water                      1.49
      ------------------------------------------
      Subtotal                              5.47
      Discount (10%)                       -0.55
      Tax 8%                                0.29
      TOTAL                             USD 5.21
      ------------------------------------------
      Paid (cash)                          10.00
      Change                                4.79

             Thank you for your purchase!
      "
    `);
  });

  it('sums tax per rate over taxed lines only, lowest rate first', () => {
    const [soda, water] = SEED_ORDER.items as [OrderDto['items'][0], OrderDto['items'][0]];
    expect(
      receiptTaxesByRate([
        { ...soda, tax_rate_bps: 1900, line_tax_cents: 50 },
        soda,
        { ...soda, line_tax_cents: 3 },
        water,
      ]),
    ).toEqual([
      { rate_bps: 800, tax_cents: 32 },
      { rate_bps: 1900, tax_cents: 50 },
    ]);
  });

  it('sends each format with its content type', () => {
    expect(renderReceipt(SEED, 'text', 48).contentType).toBe('text/plain; charset=utf-8');
    expect(renderReceipt(SEED, 'html', 42).contentType).toBe('text/html; charset=utf-8');
    const escpos = renderReceipt(SEED, 'escpos', 42);
    expect(escpos.contentType).toBe('application/octet-stream');
    expect(Buffer.isBuffer(escpos.body)).toBe(true);
  });
});

describe('ESC/POS', () => {
  it.each([42, 48] as const)('initialises, prints the lines with TOTAL in bold and cuts at %i columns', (width) => {
    const bytes = Buffer.from(encodeReceiptEscPos(SEED, width));
    expect(Array.from(bytes.subarray(0, 2))).toEqual([0x1b, 0x40]); // ESC @: initialise
    const text = bytes.toString('latin1');
    // ESC E 1 … ESC E 0: bold on and off around the TOTAL line, padded to the paper width.
    expect(text).toContain(`\x1bE\x01TOTAL${' '.repeat(width - 'TOTAL'.length - 'USD 5.21'.length)}USD 5.21\x1bE\x00`);
    expect(text).toContain('Paid (cash)');
    const cut = text.lastIndexOf('\x1dV'); // GS V m: cut (m = 0/48 full, 1/49 partial)
    expect([0x00, 0x01, 0x30, 0x31]).toContain(text.charCodeAt(cut + 2));
    expect(cut).toBeGreaterThan(text.indexOf('Thank you'));
  });

  it('never passes printer commands hidden in a name through', () => {
    const data = receiptDataFromOrder(SEED_ORDER, { ...NAMES, business_name: 'Shop\x1dV\x00\x1bp\x00' });
    const text = Buffer.from(encodeReceiptEscPos(data, 42)).toString('latin1');
    expect(text.split('\x1dV')).toHaveLength(2); // the one cut at the end
    expect(text).not.toContain('\x1bp');
  });
});

describe('HTML', () => {
  const evil = '<script>alert(1)</script>';
  const html = renderReceiptHtml(
    receiptDataFromOrder(
      {
        ...SEED_ORDER,
        items: [{ ...SEED_ORDER.items[0]!, name: evil }],
        note: `"quoted" & 'single'`,
      },
      { ...NAMES, business_name: `<img src=x onerror=alert(2)>`, footer_lines: ['Thanks & see you'] },
    ),
  );

  it('escapes every name: no tag or attribute can be injected', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('2 x &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('Note: &quot;quoted&quot; &amp; &#39;single&#39;');
    expect(html).toContain('Thanks &amp; see you');
    expect(escapeHtml('a\x00b<')).toBe('a b&lt;');
  });

  it('is a self-contained page mirroring the text receipt', () => {
    const page = renderReceiptHtml(SEED);
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain('<title>Receipt #7 – Seed Shop</title>');
    expect(page).not.toMatch(/<(script|link|img|style)\b|src=|href=/);
    for (const text of [
      'Subtotal',
      'Discount (10%)',
      'Tax 8%',
      'TOTAL',
      'USD 5.21',
      'Paid (cash)',
      '10.00',
      'Change',
      '4.79',
    ]) {
      expect(page).toContain(`>${text}</td>`);
    }
  });
});

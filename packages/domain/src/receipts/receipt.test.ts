import { describe, expect, it } from 'vitest';
import { RECEIPT_WIDTHS, type ReceiptData, type ReceiptLineItem, type ReceiptWidth } from './receipt-data.ts';
import { layoutReceiptText, renderReceiptText } from './receipt.ts';
import { SEED_SALE } from './receipt.fixtures.ts';
import { textWidth } from './text-layout.ts';

/** Renders at a width and checks what every receipt must satisfy: no line wider than the paper, no tabs. */
function render(data: ReceiptData, width: ReceiptWidth): string {
  const text = renderReceiptText(data, { width });
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    expect(textWidth(line), `"${line}"`).toBeLessThanOrEqual(width);
    expect(line).not.toMatch(/[\t\r]|\s$/);
    expect(line).not.toContain('\u001b');
  }
  return text;
}

const SPLIT_TENDER: ReceiptData = {
  ...SEED_SALE,
  tenders: [
    { method: 'external_card', tendered_cents: 300, change_cents: 0, reference: 'T-1' },
    { method: 'cash', tendered_cents: 500, change_cents: 279, reference: null },
  ],
  change_cents: 279,
};

const VOIDED: ReceiptData = {
  ...SEED_SALE,
  status: 'voided',
  void_reason: 'Rang up the wrong items',
  footer_lines: [],
};

const LONG_NAME: ReceiptData = {
  ...SEED_SALE,
  lines: [
    {
      ...SEED_SALE.lines[0]!,
      quantity: 12,
      name: 'Extra Large Organic Sparkling Elderflower Lemonade with Fresh Mint in a Returnable Glass Bottle',
      line_subtotal_cents: 2388,
    },
    { ...SEED_SALE.lines[1]!, name: 'Supercalifragilisticexpialidocious-Limited-Edition-Collectors-Tin' },
  ],
};

const JPY: ReceiptData = {
  ...SEED_SALE,
  time_zone: 'Asia/Tokyo',
  currency: 'JPY',
  lines: [
    {
      name: 'Tonkotsu Ramen',
      sku: 'RAMEN-1',
      quantity: 2,
      unit_price_cents: 980,
      line_subtotal_cents: 1960,
      line_discount_cents: 0,
      line_total_cents: 2156,
    },
  ],
  subtotal_cents: 1960,
  discount_cents: 0,
  discount_percent_bp: 0,
  taxes: [{ rate_bps: 1000, tax_cents: 196 }],
  total_cents: 2156,
  tenders: [{ method: 'cash', tendered_cents: 3000, change_cents: 844, reference: null }],
  change_cents: 844,
};

describe('text receipt', () => {
  it('prints the seed sale at 42 columns with "Paid (cash)" and "Change"', () => {
    expect(render(SEED_SALE, 42)).toMatchInlineSnapshot(`
      "               Corner Shop
                     Main Street
                    12 Main Street
                     Springfield

      Receipt #42               2025-03-14 15:04
      Register: Till 1
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

           Thank you for shopping with us!
      "
    `);
  });

  it('prints a line discount under its line and only the order discount under the subtotal', () => {
    // The seed sale with 10 % off the Soda line too (the domain's totals test: discount 40 + 51, tax 26, total 482).
    const [soda, water] = SEED_SALE.lines;
    const data: ReceiptData = {
      ...SEED_SALE,
      lines: [
        { ...(soda as ReceiptLineItem), line_discount_cents: 76, item_discount_cents: 40, discount_percent_bp: 1000 },
        { ...(water as ReceiptLineItem), line_discount_cents: 15 },
      ],
      discount_cents: 91,
      taxes: [{ rate_bps: 800, tax_cents: 26 }],
      total_cents: 482,
      tenders: [{ method: 'cash', tendered_cents: 500, change_cents: 18, reference: null }],
      change_cents: 18,
    };
    const text = render(data, 42);
    expect(text).toMatch(/^ {4}Line discount \(10%\) +-0\.40$/m);
    expect(text).toMatch(/^Discount \(10%\) +-0\.51$/m);
    expect(text).toMatch(/^TOTAL +USD 4\.82$/m);
  });

  it('prints the seed sale at 48 columns', () => {
    const text = render(SEED_SALE, 48);
    expect(text).toMatchSnapshot();
    expect(text).toContain(`Paid (cash)${' '.repeat(32)}10.00\n`);
    expect(text).toContain(`Change${' '.repeat(38)}4.79\n`);
  });

  it.each(RECEIPT_WIDTHS)('prints a split card and cash tender at %i columns', (width) => {
    const text = render(SPLIT_TENDER, width);
    expect(text).toMatchSnapshot();
    expect(text).toMatch(/^Paid \(card, ref T-1\) +3\.00$/m);
    expect(text).toMatch(/^Paid \(cash\) +5\.00$/m);
    expect(text).toMatch(/^Change +2\.79$/m);
  });

  it('prints a card without a reference as "Paid (card ****)" and no change line', () => {
    const text = render(
      {
        ...SEED_SALE,
        tenders: [{ method: 'external_card', tendered_cents: 521, change_cents: 0, reference: null }],
        change_cents: 0,
      },
      42,
    );
    expect(text).toMatch(/^Paid \(card \*\*\*\*\) +5\.21$/m);
    expect(text).not.toContain('Change');
  });

  it('prints a processor card with its brand and last four only, beside cash', () => {
    const text = render(
      {
        ...SEED_SALE,
        tenders: [
          {
            method: 'card',
            tendered_cents: 300,
            change_cents: 0,
            reference: null,
            card_brand: 'visa',
            card_last4: '4242',
          },
          { method: 'cash', tendered_cents: 500, change_cents: 279, reference: null },
        ],
        change_cents: 279,
      },
      42,
    );
    expect(text).toMatch(/^Paid \(visa \*\*\*\*4242\) +3\.00$/m);
    expect(text).toMatch(/^Paid \(cash\) +5\.00$/m);
  });

  it.each(RECEIPT_WIDTHS)('marks a voided order at the top and the bottom at %i columns', (width) => {
    const text = render(VOIDED, width);
    expect(text).toMatchSnapshot();
    expect(text.match(/\*\*\* VOIDED \*\*\*/g)).toHaveLength(2);
    expect(text).toContain('Reason: Rang up the wrong items');
  });

  it.each(RECEIPT_WIDTHS)('wraps long product names clear of the amount column at %i columns', (width) => {
    const text = render(LONG_NAME, width);
    expect(text).toMatchSnapshot();
    const lines = text.split('\n');
    const first = lines.findIndex((l) => l.startsWith('12 x Extra Large'));
    expect(lines[first]).toMatch(/ 23\.88$/);
    // Continuation lines are indented under the name and never reach into the amount column.
    expect(lines[first + 1]).toMatch(/^ {5}\S/);
    expect(textWidth(lines[first + 1]!)).toBeLessThanOrEqual(width - '23.88'.length - 1);
    expect(text).toContain('     @ 1.99\n');
  });

  it.each(RECEIPT_WIDTHS)('prints yen without decimals at %i columns', (width) => {
    const text = render(JPY, width);
    expect(text).toMatchSnapshot();
    expect(text).toMatch(/^TOTAL +JPY 2156$/m);
    expect(text).toMatch(/^Tax 10% +196$/m);
    expect(text).toMatch(/^Change +844$/m);
    expect(text).toContain('2025-03-15 04:04'); // Tokyo is a day ahead of New York's evening
    expect(text).not.toContain('Discount');
  });

  it('shows included tax, cash rounding, an open order and a note', () => {
    const text = render(
      {
        ...SEED_SALE,
        status: 'open',
        order_number: null,
        completed_at: null,
        currency: 'EUR',
        prices_include_tax: true,
        taxes: [
          { rate_bps: 700, tax_cents: 10 },
          { rate_bps: 1900, tax_cents: 48 },
        ],
        cash_rounding_cents: -1,
        tenders: [],
        change_cents: 0,
        note: 'Table 4',
      },
      42,
    );
    expect(text).toContain('*** NOT PAID ***');
    expect(text).toMatch(/^Open order +2025-03-14 15:03$/m);
    expect(text).toMatch(/^Tax 7% \(incl\.\) +0\.10$/m);
    expect(text).toMatch(/^Tax 19% \(incl\.\) +0\.48$/m);
    expect(text).toMatch(/^TOTAL +EUR 5\.21$/m);
    expect(text).toMatch(/^Cash rounding +-0\.01$/m);
    expect(text).toContain('Note: Table 4\n');
    expect(text).not.toContain('Paid');
  });

  it.each(RECEIPT_WIDTHS)(
    "prints a sale taken offline at the till's time, and the server's as Synced, at %i columns",
    (width) => {
      const offline: ReceiptData = {
        ...SEED_SALE,
        created_offline_at: '2025-03-14T18:40:00.000Z',
      };
      const text = render(offline, width);
      const lines = text.split('\n');
      const header = lines.find((l) => l.startsWith('Receipt #'));
      const synced = lines.find((l) => l.startsWith('Synced'));
      expect(header).toBeDefined();
      expect(synced).toBeDefined();
      expect(header).not.toBe(
        render(SEED_SALE, width)
          .split('\n')
          .find((l) => l.startsWith('Receipt #')),
      );
      expect(synced?.replace(/^Synced\s+/, '')).toBe(
        render(SEED_SALE, width)
          .split('\n')
          .find((l) => l.startsWith('Receipt #'))
          ?.replace(/^Receipt #\d+\s+/, ''),
      );
    },
  );

  it('prints "Tax 0.00" for an untaxed sale', () => {
    expect(render({ ...SEED_SALE, taxes: [] }, 42)).toMatch(/^Tax +0\.00$/m);
  });

  it('never lets control characters from names reach the output', () => {
    const text = render(
      {
        ...SEED_SALE,
        business_name: 'Evil\u001b@Shop\n\u001dV\u0000',
        lines: [{ ...SEED_SALE.lines[0]!, name: 'A\tB\r\nC' }],
      },
      42,
    );
    expect(text).toContain('Evil @Shop V');
    expect(text).toMatch(/^2 x A B C +3\.98$/m);
  });

  it('marks the TOTAL line (and the business name and banners) strong', () => {
    const strong = layoutReceiptText(VOIDED, { width: 42 })
      .filter((l) => l.strong)
      .map((l) => l.text.trim());
    expect(strong).toEqual([
      'Corner Shop',
      '*** VOIDED ***',
      'TOTAL                             USD 5.21',
      '*** VOIDED ***',
    ]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReceiptData } from './receipt-data.ts';
import { renderReceiptText } from './receipt.ts';
import { SEED_SALE } from './receipt.fixtures.ts';
import { formatBasisPoints } from './receipt-rows.ts';
import { formatReceiptDateTime } from './receipt-date.ts';
import { centerLines, cleanText, pairLines, textWidth, wrapText } from './text-layout.ts';

describe('monospace layout', () => {
  it('wraps on words and cuts words longer than a line', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('   ', 10)).toEqual(['']);
    expect(wrapText('one two three four', 9, 5)).toEqual(['one two', 'three', 'four']);
    // An over-long word fills the rest of the line and carries on; a cut word never gains a space.
    expect(wrapText('1 x abcdefghijklmnop', 8, 6)).toEqual(['1 x abcd', 'efghij', 'klmnop']);
    expect(wrapText('abcdefgh', 3, 6)).toEqual(['abc', 'defgh']);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(pairLines('Café 🍰', '1.00', 14)).toEqual(['Café 🍰    1.00']);
  });

  it('centres without trailing spaces', () => {
    expect(centerLines('Shop', 10)).toEqual(['   Shop']);
  });

  it('puts the amount flush right and keeps continuation lines clear of it', () => {
    expect(pairLines('2 x Soda Can', '3.98', 20, 4)).toEqual(['2 x Soda Can    3.98']);
    expect(pairLines('2 x Very long name here', '3.98', 20, 4)).toEqual(['2 x Very long   3.98', '    name here']);
    expect(pairLines('1 x Supercalifragilistic', '1.49', 20, 4)).toEqual(['1 x Supercalifr 1.49', '    agilistic']);
  });

  it('puts an amount too wide to share a line on its own line', () => {
    expect(pairLines('TOTAL', 'USD 12345678901.00', 20)).toEqual(['TOTAL', '  USD 12345678901.00']);
  });

  it('turns control characters into spaces', () => {
    expect(cleanText('a\u001b@b\u0085c\u007fd\n')).toBe('a @b c d');
  });
});

describe('receipt figures', () => {
  it('formats basis points as percentages', () => {
    expect([0, 800, 1000, 825, 750, 5, 10_000].map(formatBasisPoints)).toEqual([
      '0%',
      '8%',
      '10%',
      '8.25%',
      '7.5%',
      '0.05%',
      '100%',
    ]);
    expect(() => formatBasisPoints(1.5)).toThrow(RangeError);
  });

  it('formats dates in the store time zone, 24-hour, with daylight saving', () => {
    expect(formatReceiptDateTime('2025-03-14T19:04:05Z', 'America/New_York')).toBe('2025-03-14 15:04');
    expect(formatReceiptDateTime('2025-07-01T12:00:00Z', 'America/New_York')).toBe('2025-07-01 08:00');
    expect(formatReceiptDateTime('2025-03-14T19:04:05Z', 'Asia/Tokyo')).toBe('2025-03-15 04:04');
    expect(formatReceiptDateTime('2025-03-15T00:05:00Z', 'UTC')).toBe('2025-03-15 00:05');
    expect(formatReceiptDateTime('2025-03-14T23:30:00Z', 'Asia/Kolkata')).toBe('2025-03-15 05:00');
  });

  it('falls back to UTC, and says so, for a time zone the runtime does not know', () => {
    expect(formatReceiptDateTime('2025-03-14T19:04:05Z', 'Mars/Olympus_Mons')).toBe('2025-03-14 19:04 UTC');
    expect(() => formatReceiptDateTime('yesterday', 'UTC')).toThrow(RangeError);
  });
});

describe('any receipt', () => {
  const name = fc.string({ unit: 'binary', maxLength: 120 });
  const cents = fc.integer({ min: 0, max: 100_000_000_000 });

  it('fits its width whatever the names and amounts', () => {
    fc.assert(
      fc.property(
        fc.record({ business: name, location: name, register: name, item: name, note: name, footer: name }),
        fc.integer({ min: 1, max: 100_000 }),
        cents,
        fc.constantFrom(42 as const, 48 as const),
        fc.constantFrom('USD', 'JPY', 'KWD'),
        (names, quantity, amount, width, currency) => {
          const data: ReceiptData = {
            ...SEED_SALE,
            business_name: names.business,
            location_name: names.location,
            register_name: names.register,
            currency,
            lines: [{ ...SEED_SALE.lines[0]!, name: names.item, quantity, line_subtotal_cents: amount }],
            total_cents: amount,
            tenders: [{ method: 'external_card', tendered_cents: amount, change_cents: 0, reference: names.item }],
            note: names.note,
            footer_lines: [names.footer],
          };
          for (const line of renderReceiptText(data, { width }).split('\n')) {
            expect(textWidth(line)).toBeLessThanOrEqual(width);
            // eslint-disable-next-line no-control-regex -- the property under test
            expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
          }
        },
      ),
    );
  });
});

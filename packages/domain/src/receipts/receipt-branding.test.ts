import { describe, expect, it } from 'vitest';
import { checkReceiptLines, DEFAULT_RECEIPT_FOOTER, receiptFooter } from './receipt-branding.ts';

describe('checkReceiptLines', () => {
  it('trims each line and drops blank ones', () => {
    expect(checkReceiptLines(['  12 Main Street ', '', '   ', 'Springfield'])).toEqual({
      ok: true,
      lines: ['12 Main Street', 'Springfield'],
    });
    expect(checkReceiptLines([])).toEqual({ ok: true, lines: [] });
  });

  it('allows 4 lines of 42 characters (code points) and no more', () => {
    expect(checkReceiptLines(['a', 'b', 'c', 'd']).ok).toBe(true);
    expect(checkReceiptLines(['a', 'b', '', 'c', 'd']).ok).toBe(true);
    expect(checkReceiptLines(['a', 'b', 'c', 'd', 'e'])).toEqual({
      ok: false,
      problem: { index: null, message: 'must have at most 4 lines' },
    });
    expect(checkReceiptLines(['é'.repeat(42)]).ok).toBe(true);
    expect(checkReceiptLines(['ok', 'x'.repeat(43)])).toEqual({
      ok: false,
      problem: { index: 1, message: 'must be at most 42 characters' },
    });
  });

  it('refuses control characters (a line never drives the printer)', () => {
    expect(checkReceiptLines(['Main\x1dV'])).toEqual({
      ok: false,
      problem: { index: 0, message: 'must not contain control characters' },
    });
    expect(checkReceiptLines(['a\nb']).ok).toBe(false);
  });
});

describe('receiptFooter', () => {
  it("prints the tenant's lines, else the default", () => {
    expect(receiptFooter(['See you soon'])).toEqual(['See you soon']);
    expect(receiptFooter([])).toBe(DEFAULT_RECEIPT_FOOTER);
    expect(receiptFooter(undefined)).toBe(DEFAULT_RECEIPT_FOOTER);
  });
});

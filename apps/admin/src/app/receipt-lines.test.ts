import { describe, expect, it } from 'vitest';
import { linesText, receiptLinesOf } from './receipt-lines.ts';

describe('receipt lines typed in a textarea', () => {
  it('are trimmed, one per line, without blank lines', () => {
    expect(receiptLinesOf(' 12 Main Street \r\n\n Springfield\n')).toEqual({
      ok: true,
      lines: ['12 Main Street', 'Springfield'],
    });
    expect(receiptLinesOf('   ')).toEqual({ ok: true, lines: [] });
    expect(linesText(['12 Main Street', 'Springfield'])).toBe('12 Main Street\nSpringfield');
  });

  it('are refused, in a sentence, as the server refuses them', () => {
    expect(receiptLinesOf('a\nb\nc\nd\ne')).toEqual({
      ok: false,
      error: 'Use at most 4 lines (blank lines are dropped).',
    });
    expect(receiptLinesOf(`a\n\n\n${'x'.repeat(43)}`)).toEqual({
      ok: false,
      error: 'Line 2 is longer than 42 characters.',
    });
    expect(receiptLinesOf('a\tb')).toEqual({ ok: false, error: 'Line 1 has a character that cannot be printed.' });
  });
});

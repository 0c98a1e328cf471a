import type { ReceiptData, ReceiptRow, ReceiptWidth } from './receipt-data.ts';
import { receiptRows } from './receipt-rows.ts';
import { centerLines, indentLines, pairLines, ruleLine } from './text-layout.ts';

/** One printed line of a text receipt; `strong` lines print bold where the medium can (ESC/POS). */
export interface ReceiptTextLine {
  readonly text: string;
  readonly strong: boolean;
}

function rowLines(row: ReceiptRow, width: number): string[] {
  switch (row.kind) {
    case 'center':
      return centerLines(row.text, width);
    case 'pair': {
      const pad = ' '.repeat(Math.min(row.offset ?? 0, width - 1));
      return pairLines(row.left, row.right, width - pad.length, row.indent ?? 0).map((line) => pad + line);
    }
    case 'text': {
      const pad = ' '.repeat(Math.min(row.indent ?? 0, width - 1));
      return indentLines(row.text, width - pad.length, row.hang ?? 0).map((line) => pad + line);
    }
    case 'rule':
      return [ruleLine(width)];
    case 'blank':
      return [''];
  }
}

/** The receipt as monospace lines of at most `width` characters, each marked bold or not. */
export function layoutReceiptText(data: ReceiptData, options: { width: ReceiptWidth }): ReceiptTextLine[] {
  return receiptRows(data).flatMap((row) => {
    const strong = (row.kind === 'center' || row.kind === 'pair') && row.strong === true;
    return rowLines(row, options.width).map((text) => ({ text, strong }));
  });
}

/**
 * The receipt as plain text for a monospace printer or screen: lines of at most `options.width` characters,
 * joined by "\n", ending with a newline. Money is formatted from integer minor units; the date in the store's time
 * zone.
 */
export function renderReceiptText(data: ReceiptData, options: { width: ReceiptWidth }): string {
  return `${layoutReceiptText(data, options)
    .map((line) => line.text)
    .join('\n')}\n`;
}

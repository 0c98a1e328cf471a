import { checkReceiptLines, RECEIPT_TEXT_LINE_MAX, RECEIPT_TEXT_MAX_LINES } from '@novapos/domain';

export { RECEIPT_TEXT_LINE_MAX, RECEIPT_TEXT_MAX_LINES };

/** Lines as a textarea shows them: one per line. */
export function linesText(lines: readonly string[]): string {
  return lines.join('\n');
}

export type ReceiptLinesInput =
  { readonly ok: true; readonly lines: string[] } | { readonly ok: false; readonly error: string };

/**
 * A textarea's text as receipt lines, by the server's rule (`checkReceiptLines`, shared through @novapos/domain):
 * each line trimmed, blank lines dropped, at most 4 lines of at most 42 characters. Errors are sentences.
 */
export function receiptLinesOf(text: string): ReceiptLinesInput {
  const raw = text.split(/\r?\n/);
  const checked = checkReceiptLines(raw);
  if (checked.ok) return checked;
  const { index } = checked.problem;
  if (index === null) {
    return { ok: false, error: `Use at most ${RECEIPT_TEXT_MAX_LINES} lines (blank lines are dropped).` };
  }
  const line = raw.slice(0, index + 1).filter((l) => l.trim() !== '').length;
  return checked.problem.message.includes('control')
    ? { ok: false, error: `Line ${line} has a character that cannot be printed.` }
    : { ok: false, error: `Line ${line} is longer than ${RECEIPT_TEXT_LINE_MAX} characters.` };
}

/** Whether two lists of lines are the same. */
export function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

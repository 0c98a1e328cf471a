/**
 * Tenant branding (C3): the store address printed under the location's name and the tenant's footer. One rule for
 * both, shared by the server (which enforces it) and the back office (which checks it before sending).
 */

/** At most this many address lines per location, and footer lines per tenant. */
export const RECEIPT_TEXT_MAX_LINES = 4;

/**
 * At most this many characters (code points) per line: the narrowest receipt (42 columns), so a line is never
 * wrapped or cut on paper.
 */
export const RECEIPT_TEXT_LINE_MAX = 42;

/** The footer of a tenant that has not written its own. */
export const DEFAULT_RECEIPT_FOOTER: readonly string[] = ['Thank you for your purchase!'];

/** Why lines were refused: which line (0-based, in the lines as given) and a sentence fragment. */
export interface ReceiptLinesProblem {
  readonly index: number | null;
  readonly message: string;
}

export type ReceiptLinesCheck =
  { readonly ok: true; readonly lines: string[] } | { readonly ok: false; readonly problem: ReceiptLinesProblem };

// C0, DEL and C1: a line is one line of print, never a printer command or a line break.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * Address or footer lines as stored: each line trimmed, blank lines dropped; then at most
 * {@link RECEIPT_TEXT_MAX_LINES} lines of 1 to {@link RECEIPT_TEXT_LINE_MAX} characters without control
 * characters. An empty result is allowed (no address; the default footer).
 */
export function checkReceiptLines(lines: readonly string[]): ReceiptLinesCheck {
  const kept: string[] = [];
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    if (CONTROL.test(line)) return { ok: false, problem: { index, message: 'must not contain control characters' } };
    if (Array.from(line).length > RECEIPT_TEXT_LINE_MAX) {
      return { ok: false, problem: { index, message: `must be at most ${RECEIPT_TEXT_LINE_MAX} characters` } };
    }
    kept.push(line);
  }
  if (kept.length > RECEIPT_TEXT_MAX_LINES) {
    return { ok: false, problem: { index: null, message: `must have at most ${RECEIPT_TEXT_MAX_LINES} lines` } };
  }
  return { ok: true, lines: kept };
}

/** The footer a receipt prints: the tenant's lines, or {@link DEFAULT_RECEIPT_FOOTER} when it has none. */
export function receiptFooter(tenantLines: readonly string[] | null | undefined): readonly string[] {
  return tenantLines === null || tenantLines === undefined || tenantLines.length === 0
    ? DEFAULT_RECEIPT_FOOTER
    : tenantLines;
}

/**
 * Monospace layout for receipts: every function returns lines of at most `width` characters. Lengths are counted
 * in code points, so an accented name counts one column per letter (wide CJK glyphs are not measured as two).
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * The text with control characters (C0, DEL, C1) replaced by spaces and runs of white space collapsed. Names come
 * from tenants: an ESC byte in a product name must never reach a printer as a command, nor a newline break the
 * layout.
 */
export function cleanText(text: string): string {
  return text.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The code points of the text. Deliberately not grapheme clusters (Intl.Segmenter): a thermal printer's code page
 * prints one glyph, or "?", per code point.
 */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

/** The number of columns the text takes (one per code point). */
export function textWidth(text: string): number {
  return codePoints(text).length;
}

/**
 * Word-wraps text into lines of at most `width` columns (`nextWidth` for the lines after the first). A word longer
 * than a whole line fills what is left of the current line and carries on in the next. Empty text gives one empty
 * line, so a row never disappears.
 */
export function wrapText(text: string, width: number, nextWidth = width): string[] {
  if (width < 1 || nextWidth < 1) throw new RangeError(`widths must be at least 1, got ${width} and ${nextWidth}`);
  const lines: string[] = [];
  let current: string[] = [];
  for (const word of cleanText(text).split(' ')) {
    let chars = codePoints(word);
    while (chars.length > 0) {
      const separator = current.length > 0 ? 1 : 0;
      const room = (lines.length === 0 ? width : nextWidth) - current.length - separator;
      const fitsOnNextLine = chars.length <= nextWidth;
      if (chars.length <= room || (room > 0 && (!fitsOnNextLine || current.length === 0))) {
        // The whole word, or as much of an over-long word as fits.
        if (separator === 1) current.push(' ');
        current.push(...chars.slice(0, room));
        chars = chars.slice(room);
      }
      if (chars.length > 0) {
        lines.push(current.join(''));
        current = [];
      }
    }
  }
  lines.push(current.join(''));
  return lines;
}

/** Each wrapped line centred in `width` columns (left padding only: no trailing spaces). */
export function centerLines(text: string, width: number): string[] {
  return wrapText(text, width).map((line) => ' '.repeat(Math.floor((width - textWidth(line)) / 2)) + line);
}

/** Wrapped lines, the continuation lines indented by `indent` columns (a hanging indent). */
export function indentLines(text: string, width: number, indent = 0): string[] {
  const pad = ' '.repeat(Math.min(indent, width - 1));
  return wrapText(text, width, width - pad.length).map((line, i) => (i === 0 ? line : pad + line));
}

/**
 * A label on the left and an amount flush right on the first line ("2 x Soda Can          3.98"). A label too long
 * for the space left of the amount wraps, its continuation lines indented by `indent` and kept clear of the amount
 * column. An amount too wide to share a line goes on a line of its own.
 */
export function pairLines(left: string, right: string, width: number, indent = 0): string[] {
  const amount = cleanText(right);
  const labelWidth = width - textWidth(amount) - 1;
  if (amount === '') return indentLines(left, width, indent);
  if (labelWidth < Math.min(8, width)) {
    const amountLines = wrapText(amount, width).map((line) => ' '.repeat(width - textWidth(line)) + line);
    return [...indentLines(left, width, indent), ...amountLines];
  }
  const [first = '', ...rest] = indentLines(left, labelWidth, indent);
  return [first + ' '.repeat(width - textWidth(first) - textWidth(amount)) + amount, ...rest];
}

/** A full-width rule line. */
export function ruleLine(width: number, char = '-'): string {
  return char.repeat(width);
}

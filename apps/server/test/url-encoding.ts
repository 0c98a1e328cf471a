/**
 * Text as a URL carries it: UTF-8 bytes, percent-encoded. A lone surrogate has no UTF-8 form; it can only arrive
 * as the bytes a careless encoder makes of it (WTF-8: ED A0 80 for U+D800). Shared by the hostile-input tests and
 * the fuzz test.
 */
export function percentEncoded(text: string): string {
  // Code points on purpose: a surrogate pair is one character, a lone surrogate one of its own.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread
  return [...text]
    .map((ch) => {
      const c = ch.codePointAt(0)!;
      if (c < 0xd800 || c > 0xdfff) return encodeURIComponent(ch);
      return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    })
    .join('');
}

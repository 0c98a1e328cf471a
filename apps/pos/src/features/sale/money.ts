const formats = new Map<string, Intl.NumberFormat>();

/** Minor units as the shop's currency, e.g. 1234 → "$12.34". */
export function money(cents: number, currency: string): string {
  let f = formats.get(currency);
  if (f === undefined) {
    f = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    formats.set(currency, f);
  }
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(cents / 10 ** digits);
}

/** Basis points as a percentage: 1000 → "10 %". */
export function percent(bp: number): string {
  return `${(bp / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })} %`;
}

/**
 * ISO 4217 minor-unit exponents that are not 2. A static table, not the runtime's Intl data, so that the till (any
 * browser) and the server always agree.
 */
const EXPONENTS: Readonly<Record<string, number>> = {
  // No minor unit.
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  // Three decimals.
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  // Four decimals.
  CLF: 4,
  UYW: 4,
};

/** True for a three-letter upper-case currency code. */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code);
}

/** The number of decimals of the currency's minor unit (USD 2, JPY 0, KWD 3). */
export function currencyExponent(code: string): number {
  if (!isCurrencyCode(code)) throw new RangeError(`not an ISO 4217 currency code: ${code}`);
  return EXPONENTS[code] ?? 2;
}

/**
 * Minor units as a plain decimal string in the currency's exponent: 199 USD → "1.99", −5 USD → "-0.05",
 * 500 JPY → "500". Integer arithmetic only: no float ever touches the amount.
 */
export function formatMinorUnits(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be a safe integer, got ${amount}`);
  const exponent = currencyExponent(currency);
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * A decimal string in the currency's units to minor units: "1.99" USD → 199, "5" USD → 500, "-0.5" → −50. More
 * decimals than the currency has are refused rather than rounded: an imported price must be exact.
 */
export function parseMinorUnits(text: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (match === null) throw new RangeError(`not a decimal amount: "${text}"`);
  const [, sign = '', whole = '0', fraction = ''] = match;
  if (fraction.length > exponent) {
    throw new RangeError(`"${text}" has more than ${exponent} decimals for ${currency}`);
  }
  const minor = BigInt(whole + fraction.padEnd(exponent, '0')) * (sign === '-' ? -1n : 1n);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`"${text}" is too large`);
  }
  return Number(minor);
}

/**
 * The symbols a display puts before an amount, as `Intl.NumberFormat('en-US', {style: 'currency'})` shows them;
 * any other currency shows its code and a no-break space ("BHD 1.234", "CHF 5.00").
 */
const SYMBOLS: Readonly<Record<string, string>> = {
  AUD: 'A$',
  BRL: 'R$',
  CAD: 'CA$',
  CNY: 'CN¥',
  EUR: '€',
  GBP: '£',
  HKD: 'HK$',
  ILS: '₪',
  INR: '₹',
  JPY: '¥',
  KRW: '₩',
  MXN: 'MX$',
  NZD: 'NZ$',
  PHP: '₱',
  TWD: 'NT$',
  USD: '$',
  VND: '₫',
  XAF: 'FCFA\u00a0',
  XOF: 'F\u202fCFA\u00a0',
};

/** Digits grouped by thousands with commas: "1234567" → "1,234,567". */
function groupThousands(digits: string): string {
  const head = digits.length % 3;
  const groups = head === 0 ? [] : [digits.slice(0, head)];
  for (let i = head; i < digits.length; i += 3) groups.push(digits.slice(i, i + 3));
  return groups.join(',');
}

/**
 * Minor units for display, with the currency's symbol and thousands separators, in the currency's own exponent:
 * 123456 USD → "$1,234.56", −5 USD → "-$0.05", 1500 JPY → "¥1,500", 1234 BHD → "BHD 1.234". Integer arithmetic
 * only (the digits come from `formatMinorUnits`), so the till shows exactly the amount the server computed — even
 * where the runtime's Intl data would disagree on the number of decimals (IQD).
 */
export function formatMoney(amount: number, currency: string): string {
  const plain = formatMinorUnits(amount, currency);
  const negative = plain.startsWith('-');
  const [whole = '0', fraction] = (negative ? plain.slice(1) : plain).split('.');
  const number = fraction === undefined ? groupThousands(whole) : `${groupThousands(whole)}.${fraction}`;
  return `${negative ? '-' : ''}${SYMBOLS[currency] ?? `${currency}\u00a0`}${number}`;
}

/**
 * What a cashier types as an amount to minor units: "12", "12.5", "12,50" (a comma is a decimal separator too),
 * in the currency's exponent ("500" JPY → 500, "1.5" BHD → 1500). Undefined when it is not an amount of this
 * currency: letters, more decimals than the currency has, more than 9 whole digits.
 */
export function parseTypedAmount(text: string, currency: string): number | undefined {
  const m = /^\s*(\d{1,9})(?:[.,](\d*))?\s*$/.exec(text);
  if (m === null) return undefined;
  const [, whole = '0', fraction = ''] = m;
  if (fraction.length > currencyExponent(currency)) return undefined;
  return parseMinorUnits(fraction === '' ? whole : `${whole}.${fraction}`, currency);
}

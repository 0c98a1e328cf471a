import { formatMinorUnits, parseMinorUnits } from '@novapos/domain';

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * Minor units as money for people: 12345 USD → "$123.45". The decimal string comes from integer arithmetic
 * (`formatMinorUnits`) and Intl formats that string, so no float ever touches the amount.
 */
export function money(cents: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (format === undefined) {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  return format.format(formatMinorUnits(cents, currency) as `${number}`);
}

/** "12.50" → 1250 in the currency's minor units; undefined when the text is not an exact amount. */
export function parseMoney(text: string, currency: string): number | undefined {
  try {
    return parseMinorUnits(text, currency);
  } catch {
    return undefined;
  }
}

/** Minor units as the plain decimal a form field edits: 1250 → "12.50". */
export function moneyInput(cents: number, currency: string): string {
  return formatMinorUnits(cents, currency);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

export function when(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** A local calendar day ("2026-11-30") as "Mon 30 Nov", without a time zone shifting it. */
export function day(localDate: string): string {
  const [y, m, d] = localDate.split('-').map(Number);
  return dateOnly.format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12)));
}

/** Basis points as a percentage: 825 → "8.25 %". */
export function percent(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const rest = Math.abs(bps % 100);
  return `${whole}${rest === 0 ? '' : `.${String(rest).padStart(2, '0').replace(/0$/, '')}`} %`;
}

/** "8.25" (percent) → 825 bps; undefined unless it is 0–100 with at most two decimals. */
export function parsePercent(text: string): number | undefined {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (match === null) return undefined;
  const bps = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return bps <= 10_000 ? bps : undefined;
}

export function shortId(id: string): string {
  return id.slice(-8);
}

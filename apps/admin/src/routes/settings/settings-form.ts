import type { TenantSettings, TenantSettingsChange } from '../../api/tax.ts';
import { moneyInput, parseMoney } from '../../app/format.ts';
import { linesText, receiptLinesOf, sameLines } from '../../app/receipt-lines.ts';

type RoundingMode = TenantSettings['effective_money_rounding'];
type StockPolicy = TenantSettings['stock_policy'];
type OfflineCardMode = TenantSettings['offline_card_mode'];

/** The settings form as typed: text where people type, the server's values where they pick. */
export interface SettingsDraft {
  readonly name: string;
  readonly timezone: string;
  readonly prices_include_tax: boolean;
  /** '' is "the server's default" (null on the wire). */
  readonly money_rounding: RoundingMode | '';
  /** An amount in the currency ("0.05"); '' is no cash rounding. */
  readonly cash_rounding: string;
  readonly stock_policy: StockPolicy;
  /** The receipt footer, one line per line; blank: the default footer. */
  readonly receipt_footer: string;
  /** Hours a till accepts a PIN offline after it was last checked online, as typed; "0" switches it off. */
  readonly offline_signin_grace_hours: string;
  /** Cards while a till is offline: refused, or on an external terminal within the two caps (amounts as typed). */
  readonly offline_card_mode: OfflineCardMode;
  readonly offline_card_max_sale: string;
  readonly offline_card_max_outage: string;
}

/** The server's limits (settings.schemas.ts): names up to 200 characters, cash rounding 1–100000 minor units. */
export const NAME_MAX = 200;
export const TIMEZONE_MAX = 64;
export const CASH_ROUNDING_MAX = 100_000;
/** Offline sign-in's grace window: 0 (off) to a week. */
export const GRACE_HOURS_MAX = 168;
/** The server's cap on an offline card limit, in minor units. */
export const OFFLINE_CARD_CAP_MAX = 100_000_000_000;

export function draftOf(settings: TenantSettings): SettingsDraft {
  return {
    name: settings.name,
    timezone: settings.timezone,
    prices_include_tax: settings.prices_include_tax,
    money_rounding: settings.money_rounding ?? '',
    cash_rounding:
      settings.cash_rounding_cents === null ? '' : moneyInput(settings.cash_rounding_cents, settings.currency),
    stock_policy: settings.stock_policy,
    receipt_footer: linesText(settings.receipt_footer_lines),
    offline_signin_grace_hours: String(settings.offline_signin_grace_hours),
    offline_card_mode: settings.offline_card_mode,
    offline_card_max_sale: moneyInput(settings.offline_card_max_sale_cents, settings.currency),
    offline_card_max_outage: moneyInput(settings.offline_card_max_outage_cents, settings.currency),
  };
}

/** The canonical IANA name of a zone, as the server stores it, or undefined when the browser does not know it. */
export function canonicalTimeZone(value: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export type SettingsCheck =
  | { readonly ok: true; readonly change: TenantSettingsChange }
  | { readonly ok: false; readonly errors: Partial<Record<keyof SettingsDraft, string>> };

/**
 * Checks the draft the way the server will (a blank name, an unknown time zone, a cash coin out of range or with
 * more decimals than the currency has, a footer of more than 4 lines or a line over 42 characters, an offline
 * sign-in window that is not 0–168 whole hours are refused) and returns only the fields that differ from `current`:
 * the server audits what changed, and an unchanged form sends nothing.
 */
export function checkSettings(draft: SettingsDraft, current: TenantSettings): SettingsCheck {
  const errors: Partial<Record<keyof SettingsDraft, string>> = {};
  const name = draft.name.trim();
  if (name === '') errors.name = 'Enter the business name.';
  else if (name.length > NAME_MAX) errors.name = `At most ${NAME_MAX} characters.`;

  const zoneText = draft.timezone.trim();
  const timezone = zoneText === '' || zoneText.length > TIMEZONE_MAX ? undefined : canonicalTimeZone(zoneText);
  if (timezone === undefined) errors.timezone = 'Enter an IANA time zone, e.g. Europe/Paris.';

  let cash: number | null = null;
  if (draft.cash_rounding.trim() !== '') {
    const minor = parseMoney(draft.cash_rounding.trim(), current.currency);
    if (minor === undefined || minor < 1 || minor > CASH_ROUNDING_MAX) {
      errors.cash_rounding = `Enter the smallest coin, from ${moneyInput(1, current.currency)} to ${moneyInput(
        CASH_ROUNDING_MAX,
        current.currency,
      )}, or leave it blank for none.`;
    } else {
      cash = minor;
    }
  }
  const graceText = draft.offline_signin_grace_hours.trim();
  const grace = /^\d{1,3}$/.test(graceText) ? Number(graceText) : undefined;
  if (grace === undefined || grace > GRACE_HOURS_MAX) {
    errors.offline_signin_grace_hours = `Enter whole hours from 0 (off) to ${GRACE_HOURS_MAX}.`;
  }
  const cap = (field: 'offline_card_max_sale' | 'offline_card_max_outage'): number => {
    const minor = parseMoney(draft[field].trim() === '' ? '0' : draft[field].trim(), current.currency);
    if (minor === undefined || minor < 0 || minor > OFFLINE_CARD_CAP_MAX) {
      errors[field] = 'Enter an amount, or 0 for none.';
      return 0;
    }
    return minor;
  };
  const maxSale = cap('offline_card_max_sale');
  const maxOutage = cap('offline_card_max_outage');
  const footer = receiptLinesOf(draft.receipt_footer);
  if (!footer.ok) errors.receipt_footer = footer.error;
  if (Object.keys(errors).length > 0 || !footer.ok) return { ok: false, errors };

  const wanted = {
    name,
    timezone: timezone as string,
    prices_include_tax: draft.prices_include_tax,
    money_rounding: draft.money_rounding === '' ? null : draft.money_rounding,
    cash_rounding_cents: cash,
    stock_policy: draft.stock_policy,
    receipt_footer_lines: footer.lines,
    offline_signin_grace_hours: grace as number,
    offline_card_mode: draft.offline_card_mode,
    offline_card_max_sale_cents: maxSale,
    offline_card_max_outage_cents: maxOutage,
  } satisfies Required<TenantSettingsChange>;
  const change = Object.fromEntries(
    (Object.keys(wanted) as (keyof typeof wanted)[])
      .filter((field) =>
        field === 'receipt_footer_lines'
          ? !sameLines(wanted.receipt_footer_lines, current.receipt_footer_lines)
          : wanted[field] !== current[field],
      )
      .map((field) => [field, wanted[field]]),
  ) as TenantSettingsChange;
  return { ok: true, change };
}

/** Short enough for a select at 1024 px; the field's hint says what each does. */
/** Short enough for a select at 1024 px; the field's hint says what each does. */
export const ROUNDING_LABELS: Record<RoundingMode, string> = {
  half_up: 'Half up',
  bankers: "Banker's",
  truncate: 'Truncate',
};

export const STOCK_POLICY_LABELS: Record<StockPolicy, string> = {
  block: 'Refused',
  allow_negative: 'Allowed (stock goes negative)',
};

export const OFFLINE_CARD_MODE_LABELS: Record<OfflineCardMode, string> = {
  refuse: 'Refused',
  external_terminal: 'On an external terminal, within the limits',
};

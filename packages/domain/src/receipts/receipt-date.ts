const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    // Numeric parts only: month names and AM/PM differ between ICU versions and browsers, digits do not.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime knows the IANA time zone ("Europe/Berlin", "UTC"). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * An ISO timestamp as the store's wall-clock time, "2025-03-14 15:04", in the IANA time zone given. The same
 * instant prints the same on the server and on any till. A time zone the runtime does not know falls back to UTC
 * and says so ("2025-03-14 14:04 UTC"): a receipt must print even when a location's setting is wrong.
 */
export function formatReceiptDateTime(iso: string, timeZone: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`not an ISO timestamp: "${iso}"`);
  const known = isKnownTimeZone(timeZone);
  const parts = formatterFor(known ? timeZone : 'UTC').formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const text = `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
  return known ? text : `${text} UTC`;
}

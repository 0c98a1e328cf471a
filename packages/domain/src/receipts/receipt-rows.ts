import { formatMinorUnits } from '../money/currency.ts';
import type { ReceiptData, ReceiptRow, ReceiptTender } from './receipt-data.ts';
import { formatReceiptDateTime } from './receipt-date.ts';

/** Basis points as a percentage without trailing zeros: 1000 → "10%", 825 → "8.25%", 750 → "7.5%". */
export function formatBasisPoints(bp: number): string {
  if (!Number.isSafeInteger(bp) || bp < 0) throw new RangeError(`basis points must be a whole number ≥ 0, got ${bp}`);
  const whole = Math.floor(bp / 100);
  const fraction = String(bp % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return fraction === '' ? `${whole}%` : `${whole}.${fraction}%`;
}

/**
 * "Paid (cash)", "Paid (card, ref T-1)", or "Paid (card ****)" for a card whose terminal reference is unknown; a card
 * charged through the processor prints its brand and last four: "Paid (visa ****4242)".
 */
export function tenderLabel(tender: ReceiptTender): string {
  switch (tender.method) {
    case 'cash':
      return 'Paid (cash)';
    case 'external_card':
      return tender.reference === null || tender.reference === ''
        ? 'Paid (card ****)'
        : `Paid (card, ref ${tender.reference})`;
    case 'card': {
      const brand = tender.card_brand === null || tender.card_brand === undefined ? 'card' : tender.card_brand;
      return `Paid (${brand} ****${tender.card_last4 ?? ''})`;
    }
  }
}

const VOIDED_BANNER = '*** VOIDED ***';
const OPEN_BANNER = '*** NOT PAID ***';
// A sale abandoned at the till: what its tenders took was given back (docs/orders.md "Cancelling").
const CANCELLED_BANNER = '*** CANCELLED ***';

function headerRows(data: ReceiptData): ReceiptRow[] {
  const rows: ReceiptRow[] = [
    { kind: 'center', text: data.business_name, strong: true },
    { kind: 'center', text: data.location_name },
    ...data.address_lines.map((text): ReceiptRow => ({ kind: 'center', text })),
    { kind: 'blank' },
  ];
  if (data.status === 'voided') {
    rows.push({ kind: 'center', text: VOIDED_BANNER, strong: true });
    if (data.void_reason !== null) rows.push({ kind: 'center', text: `Reason: ${data.void_reason}` });
  }
  if (data.status === 'open') rows.push({ kind: 'center', text: OPEN_BANNER, strong: true });
  if (data.status === 'cancelled') rows.push({ kind: 'center', text: CANCELLED_BANNER, strong: true });
  const serverTime = data.completed_at ?? data.created_at;
  const offline = data.created_offline_at ?? null;
  rows.push({
    kind: 'pair',
    left: data.order_number === null ? 'Open order' : `Receipt #${data.order_number}`,
    right: formatReceiptDateTime(offline ?? serverTime, data.time_zone),
  });
  // Taken offline: the till's time above, the server's here, so both clocks are on the customer's copy.
  if (offline !== null)
    rows.push({ kind: 'pair', left: 'Synced', right: formatReceiptDateTime(serverTime, data.time_zone) });
  if (data.register_name !== null) rows.push({ kind: 'text', text: `Register: ${data.register_name}` });
  return rows;
}

function itemRows(data: ReceiptData, money: (cents: number) => string): ReceiptRow[] {
  return data.lines.flatMap((line): ReceiptRow[] => {
    const prefix = `${line.quantity} x `;
    const rows: ReceiptRow[] = [
      { kind: 'pair', left: `${prefix}${line.name}`, right: money(line.line_subtotal_cents), indent: prefix.length },
    ];
    // The unit price only says something new when more than one was sold.
    if (line.quantity > 1) {
      rows.push({ kind: 'text', text: `@ ${money(line.unit_price_cents)}`, indent: prefix.length });
    }
    const own = line.item_discount_cents ?? 0;
    if (own !== 0) {
      const bp = line.discount_percent_bp ?? 0;
      const label = bp > 0 ? `Line discount (${formatBasisPoints(bp)})` : 'Line discount';
      // Under the line it belongs to, indented like its unit price.
      rows.push({ kind: 'pair', left: label, right: money(-own), offset: prefix.length });
    }
    return rows;
  });
}

function totalRows(data: ReceiptData, money: (cents: number) => string): ReceiptRow[] {
  const rows: ReceiptRow[] = [{ kind: 'pair', left: 'Subtotal', right: money(data.subtotal_cents) }];
  // The lines' own discounts print under their lines; here only the order discount.
  const orderDiscount = data.discount_cents - data.lines.reduce((sum, l) => sum + (l.item_discount_cents ?? 0), 0);
  if (orderDiscount !== 0) {
    const label =
      data.discount_percent_bp > 0 ? `Discount (${formatBasisPoints(data.discount_percent_bp)})` : 'Discount';
    rows.push({ kind: 'pair', left: label, right: money(-orderDiscount) });
  }
  const included = data.prices_include_tax ? ' (incl.)' : '';
  if (data.taxes.length === 0) rows.push({ kind: 'pair', left: `Tax${included}`, right: money(0) });
  for (const tax of data.taxes) {
    rows.push({ kind: 'pair', left: `Tax ${formatBasisPoints(tax.rate_bps)}${included}`, right: money(tax.tax_cents) });
  }
  rows.push({ kind: 'pair', left: 'TOTAL', right: `${data.currency} ${money(data.total_cents)}`, strong: true });
  if (data.cash_rounding_cents !== 0) {
    rows.push({ kind: 'pair', left: 'Cash rounding', right: money(data.cash_rounding_cents) });
  }
  return rows;
}

function tenderRows(data: ReceiptData, money: (cents: number) => string): ReceiptRow[] {
  if (data.tenders.length === 0) return [];
  const rows: ReceiptRow[] = [{ kind: 'rule' }];
  for (const tender of data.tenders) {
    rows.push({ kind: 'pair', left: tenderLabel(tender), right: money(tender.tendered_cents), indent: 6 });
  }
  // Cash always shows its change, even 0.00 (the seed's receipt); a card-only sale has no change line.
  if (data.change_cents !== 0 || data.tenders.some((t) => t.method === 'cash')) {
    rows.push({ kind: 'pair', left: 'Change', right: money(data.change_cents) });
  }
  return rows;
}

/**
 * The rows of a receipt, top to bottom: header (business, location, address, banner, number and date, register),
 * items, totals (subtotal, discount, tax per rate, TOTAL, cash rounding), tenders and change, note, footer.
 */
export function receiptRows(data: ReceiptData): ReceiptRow[] {
  const money = (cents: number): string => formatMinorUnits(cents, data.currency);
  const rows: ReceiptRow[] = [
    ...headerRows(data),
    { kind: 'rule' },
    ...itemRows(data, money),
    { kind: 'rule' },
    ...totalRows(data, money),
    ...tenderRows(data, money),
  ];
  if (data.note !== null && data.note.trim() !== '') {
    rows.push({ kind: 'rule' }, { kind: 'text', text: `Note: ${data.note}`, hang: 6 });
  }
  if (data.status === 'voided') rows.push({ kind: 'blank' }, { kind: 'center', text: VOIDED_BANNER, strong: true });
  if (data.footer_lines.length > 0) {
    rows.push({ kind: 'blank' }, ...data.footer_lines.map((text): ReceiptRow => ({ kind: 'center', text })));
  }
  return rows;
}

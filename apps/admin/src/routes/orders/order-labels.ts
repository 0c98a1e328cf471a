import type { Order } from '../../api/orders.ts';

export const STATUS_KIND = { open: 'warn', completed: 'ok', voided: 'danger', cancelled: 'danger' } as const;
export const STATUS_NAMES = {
  open: 'Open (parked)',
  completed: 'Completed',
  voided: 'Voided',
  cancelled: 'Cancelled at the till',
} as const;

export function tenderName(t: Order['tenders'][number]): string {
  if (t.method === 'cash') return 'Cash';
  if (t.method === 'card') return t.card_brand === null ? 'Card' : `${t.card_brand} ****${t.card_last4 ?? ''}`;
  return t.reference === null ? 'Card terminal' : `Card terminal (${t.reference})`;
}

/** How a tender of a cancelled order was given back, or '' while it stands. */
export function reversalName(t: Order['tenders'][number]): string {
  switch (t.reversal) {
    case 'cash_returned':
      return 'cash given back';
    case 'terminal_refund':
      return 'refunded on the terminal';
    case 'card_voided':
      return 'card authorisation voided';
    case 'card_refunded':
      return 'card refunded';
    default:
      return '';
  }
}

/** A local calendar day from a date input ("2026-11-30") as the instant its first moment falls on, here. */
export function startOfLocalDay(date: string, plusDays = 0): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + plusDays).toISOString();
}

import type { TakenPayments, TakenTender } from '../sale/cart.ts';
import { money } from '../sale/money.ts';

/** A taken tender as the payment screen lists it: "Cash $5.00", "visa ****4242 $3.00", "Card (ref T-1) $2.00". */
export function takenLabel(t: TakenTender, currency: string): string {
  const amount = money(t.applied_cents, currency);
  if (t.method === 'cash') return `Cash ${amount}`;
  if (t.method === 'external_card') return `Card (ref ${t.reference ?? ''}) ${amount}`;
  return `${t.card_brand ?? 'Card'} ****${t.card_last4 ?? ''} ${amount}`;
}

/**
 * What the cashier does to give back what a cancelled sale took, one sentence per way it was paid: the cash from
 * the drawer ("Give back $5.00 cash"), a stand-alone terminal's refund, and the cards the server voids or refunds.
 */
export function giveBackSentences(taken: TakenPayments | undefined, currency: string): string[] {
  const tenders = taken?.tenders ?? [];
  const sum = (method: TakenTender['method']) =>
    tenders.filter((t) => t.method === method).reduce((total, t) => total + t.applied_cents, 0);
  const out: string[] = [];
  if (sum('cash') > 0) out.push(`Give back ${money(sum('cash'), currency)} cash`);
  for (const t of tenders.filter((x) => x.method === 'external_card')) {
    out.push(`Refund ${money(t.applied_cents, currency)} on the card terminal (ref ${t.reference ?? ''})`);
  }
  for (const t of tenders.filter((x) => x.method === 'card')) {
    out.push(
      `${t.card_brand ?? 'Card'} ****${t.card_last4 ?? ''}: ${money(t.applied_cents, currency)} goes back to the card`,
    );
  }
  return out;
}

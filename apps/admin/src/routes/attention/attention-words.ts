import { describeReplayChange, type ReplayChange } from '@novapos/domain';
import { money } from '../../app/format.ts';
import type { RefusedSale } from '../../api/attention.ts';

/** Why the server refused an offline sale, in words, by its problem code. */
const REFUSAL_WORDS: Readonly<Record<string, string>> = {
  replay_conflict: 'Differs from what the shop holds now',
  insufficient_tender: 'Not fully paid at the new total',
  invalid_tender: 'A tender could not be accepted',
  insufficient_stock: 'Not enough stock',
  product_archived: 'A product is archived',
  register_not_found: 'The register is gone',
};

export function refusalWords(code: string): string {
  return REFUSAL_WORDS[code] ?? `Refused (${code})`;
}

/** Each change of a refused sale's diff as a sentence (the domain's words, amounts in the shop's currency). */
export function diffWords(sale: RefusedSale, currency: string): string[] {
  if (sale.diff === null) return [];
  return sale.diff.changes.map((change) =>
    describeReplayChange(change as ReplayChange, (cents) => money(cents, currency)),
  );
}

/** "Sale 7", or "Sales 3–5": the numbers of a gap in a till's sequence. */
export function gapWords(from: number, to: number): string {
  return from === to ? `Sale ${from}` : `Sales ${from}–${to}`;
}

/**
 * Cards while the till is offline (docs/pos.md "Cards while offline"): the processor cannot be reached, so its
 * card button is off; a card on another terminal follows the tenant's `offline_card_policy` — refused, or allowed up
 * to a per-sale cap and an outage cap. The outage is the sales waiting in this till's queue (taken since it last
 * sent everything): their external-card money counts against the cap. The server marks such sales for review.
 */
import { useEffect, useState } from 'react';
import type { TillContext } from '../../api/api.ts';
import { browserOnline, onSyncState } from '../../app/connection.ts';
import { queuedExternalCardCents } from '../../data/queue.ts';

export type OfflineCardPolicy = TillContext['offline_card_policy'];

/** Refused: a context cached by a till before the setting existed carries none. */
const REFUSE: OfflineCardPolicy = { mode: 'refuse', max_sale_cents: 0, max_outage_cents: 0 };

export function offlineCardPolicy(ctx: TillContext): OfflineCardPolicy {
  return (ctx as Partial<TillContext>).offline_card_policy ?? REFUSE;
}

/** Whether a card on another terminal of `amountCents` may be taken now, and if not, why (in words). */
export function externalCardVerdict(input: {
  policy: OfflineCardPolicy;
  /** External-card money already on this sale. */
  saleCardCents: number;
  /** External-card money of the sales waiting in the queue (this outage). */
  outageCardCents: number;
  amountCents: number;
  money: (cents: number) => string;
}): { allowed: true } | { allowed: false; reason: string } {
  const { policy, money } = input;
  if (policy.mode === 'refuse') {
    return {
      allowed: false,
      reason: 'The shop takes no cards while the till is offline: take cash, or wait for the network.',
    };
  }
  if (input.saleCardCents + input.amountCents > policy.max_sale_cents) {
    return {
      allowed: false,
      reason: `While offline, at most ${money(policy.max_sale_cents)} of a sale goes on another terminal: take the rest in cash.`,
    };
  }
  if (input.outageCardCents + input.saleCardCents + input.amountCents > policy.max_outage_cents) {
    return {
      allowed: false,
      reason:
        `The limit of ${money(policy.max_outage_cents)} of card sales while offline is reached ` +
        `(${money(input.outageCardCents)} taken): take cash until the network returns.`,
    };
  }
  return { allowed: true };
}

/** Whether the till is offline now, and the outage's external-card money so far. */
export function useOfflineCards(): { offline: boolean; outageCardCents: number } {
  const [state, setState] = useState({ offline: false, outageCardCents: 0 });
  useEffect(
    () =>
      onSyncState((sync) => {
        const offline = !sync.online || !browserOnline();
        void queuedExternalCardCents().then((cents) => setState({ offline, outageCardCents: cents }));
      }),
    [],
  );
  return state;
}

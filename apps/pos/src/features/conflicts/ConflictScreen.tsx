import { describeReplayChange } from '@novapos/domain';
import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import { approveReplay } from '../../api/replay.ts';
import type { TillContext } from '../../api/types.ts';
import { onSyncState } from '../../app/connection.ts';
import { ErrorNote } from '../../app/ErrorNote.tsx';
import { cancelSale, resolveSale, type Refund, type ResolveOutcome } from '../../app/resolve.ts';
import type { QueuedSale } from '../../data/db.ts';
import { refusedSales } from '../../data/queue.ts';
import { receiptFromOrder } from '../receipt/receipt-data.ts';
import { ReceiptView } from '../receipt/ReceiptScreen.tsx';
import { money } from '../sale/money.ts';
import {
  conflictChoices,
  needsManager,
  serverTotal,
  settleDifference,
  stockShort,
  takenByMethod,
  tillTotal,
  type ConflictChoice,
} from './conflict-choices.ts';

const CHOICE_LABELS: Record<ConflictChoice, string> = {
  accept_server_prices: 'Accept the server’s prices',
  keep_till_prices: 'Keep the till’s prices (manager)',
  sell_beyond_stock: 'Sell beyond stock (manager)',
  cancel: 'Cancel the sale with a refund',
};

/** What a manager should do about a refusal that has no diff, by its code. */
function adviceFor(code: string): string {
  switch (code) {
    case 'offline_signature_invalid':
      return (
        'The server could not verify this till’s signature: the sale was changed on this device after it was made, ' +
        'or did not come from it. The server has recorded it. A manager: count the drawer, give back what the ' +
        'customer paid if they are still here, and call support with the sale reference below. It stays here until then.'
      );
    case 'device_not_found':
      return (
        'The server does not know this till’s device key (revoked, or set up for another register). A manager: give ' +
        'back what the customer paid if they are still here and call support with the sale reference below.'
      );
    case 'offline_seq_reused':
      return 'Another sale of this till already has this sale’s number. A manager: call support with the sale reference below.';
    default:
      return (
        'A manager: if the cause is fixed (for example the register was opened again), send it again; otherwise ' +
        'cancel it and give back what was taken.'
      );
  }
}

/** "Cash $5.00, Card (ref 1234) $3.00": the tenders the sale took. */
function tendersText(sale: QueuedSale, currency: string): string {
  const tenders = sale.body.tenders ?? [];
  if (tenders.length === 0) return 'nothing';
  return tenders
    .map((t) => {
      const label = t.method === 'cash' ? 'Cash' : t.method === 'card' ? 'Card' : `Card on another terminal`;
      const ref = 'reference' in t && t.reference !== undefined ? ` (ref ${t.reference})` : '';
      return `${label}${ref} ${money(t.amount_cents, currency)}`;
    })
    .join(', ');
}

function madeAt(sale: QueuedSale, ctx: TillContext): string {
  const at = sale.body.offline?.created_at ?? sale.queued_at;
  return new Date(at).toLocaleString('en-US', { timeZone: ctx.time_zone, dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The conflict screen: every sale the server refused on sync, with what changed in words, when it was made, its
 * total and tenders, and the choices its diff allows. Nothing leaves the list (or the queue) until the server has
 * taken a resolution or a cancellation.
 */
export function ConflictScreen(props: { ctx: TillContext; onClose: () => void }) {
  const { ctx } = props;
  const [sales, setSales] = useState<QueuedSale[]>();
  const [done, setDone] = useState<{ key: number; text: string; outcome?: ResolveOutcome }[]>([]);
  const reload = useCallback(() => void refusedSales().then(setSales), []);
  useEffect(() => onSyncState(reload), [reload]);

  return (
    <main className="conflicts" aria-label="Refused sales">
      <div className="row">
        <h1>Sales refused by the server</h1>
        <button onClick={props.onClose}>Back to selling</button>
      </div>
      <p className="hint">
        Each sale below was made while the till was offline and refused when it was sent. Choose what happens to it: it
        stays here until the server has taken your choice.
      </p>
      {done.map((d) => (
        <section key={d.key} className="notice ok" role="status" data-testid="resolved">
          <p>{d.text}</p>
          {d.outcome?.kind === 'accepted' && (
            <ReceiptView data={receiptFromOrder(d.outcome.order, ctx)} queued={false} />
          )}
        </section>
      ))}
      {sales?.length === 0 && <p className="muted">No refused sales.</p>}
      {sales?.map((sale) => (
        <Conflict
          key={`${sale.seq}-${sale.error?.refused_at ?? ''}`}
          sale={sale}
          ctx={ctx}
          onDone={(text, outcome) => {
            setDone((list) => [{ key: Date.now(), text, ...(outcome === undefined ? {} : { outcome }) }, ...list]);
            reload();
          }}
          onRefusedAgain={reload}
        />
      ))}
    </main>
  );
}

/** One refused sale: its refusal, and the chosen resolution's form. */
function Conflict(props: {
  sale: QueuedSale;
  ctx: TillContext;
  onDone: (text: string, outcome?: ResolveOutcome) => void;
  onRefusedAgain: () => void;
}) {
  const { sale, ctx } = props;
  const currency = ctx.currency;
  const m = (cents: number) => money(cents, currency);
  const diff = sale.error?.diff;
  const choices = conflictChoices(sale);
  const [choice, setChoice] = useState<ConflictChoice>();
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState<string>();
  const difference = settleDifference(sale);
  const taken = takenByMethod(sale, ctx);
  const manager = choice !== undefined && needsManager(choice, diff);

  async function approval(kind: 'keep_till_prices' | 'sell_beyond_stock'): Promise<string> {
    const res = await approveReplay({ register_id: sale.body.register_id, order_id: sale.id, kind, pin });
    return res.approval;
  }

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (choice === undefined) return;
    setBusy(true);
    setError(undefined);
    setNote(undefined);
    try {
      if (choice === 'cancel') {
        const refunds: Refund[] = [];
        if (taken.cash > 0) refunds.push({ method: 'cash', amount_cents: taken.cash });
        if (taken.external_card > 0) refunds.push({ method: 'external_card', amount_cents: taken.external_card });
        const outcome = await cancelSale(sale, reason.trim() || 'Refused on sync; cancelled at the till', refunds);
        props.onDone(
          outcome === 'accepted'
            ? 'The server had already accepted this sale (another tab?): it is an order, nothing to give back.'
            : `Sale cancelled. ${refundText(taken, m)}`,
        );
        return;
      }
      const stockApproval =
        choice !== 'sell_beyond_stock' && stockShort(diff) ? await approval('sell_beyond_stock') : undefined;
      const kindApproval = choice === 'accept_server_prices' ? undefined : await approval(choice);
      const extra = choice === 'accept_server_prices' && difference > 0 ? difference : 0;
      const outcome = await resolveSale(sale, {
        kind: choice,
        ...(kindApproval === undefined ? {} : { approval: kindApproval }),
        ...(stockApproval === undefined ? {} : { stock_approval: stockApproval }),
        ...(extra > 0 ? { tenders: [{ method: 'cash' as const, amount_cents: extra }] } : {}),
      });
      switch (outcome.kind) {
        case 'accepted':
          props.onDone(
            `Sale accepted${outcome.order.number === null ? '' : ` as receipt #${outcome.order.number}`}: ` +
              `${m(outcome.order.total_cents)}.`,
            outcome,
          );
          return;
        case 'gone':
          props.onDone('This sale was resolved meanwhile (another tab).');
          return;
        case 'waiting':
          setNote('Saved with your choice: it is sent when the network returns.');
          return;
        case 'refused':
          props.onRefusedAgain();
          return;
      }
    } catch (err) {
      setError(err);
      setPin('');
    } finally {
      setBusy(false);
    }
  }

  async function sendAgain() {
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await resolveSale(sale);
      if (outcome.kind === 'accepted') props.onDone(`Sale accepted: ${m(outcome.order.total_cents)}.`, outcome);
      else if (outcome.kind === 'waiting') setNote('It is sent when the network returns.');
      else props.onRefusedAgain();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="conflict" data-testid="conflict" data-sale-id={sale.id}>
      <h2>
        Sale of {madeAt(sale, ctx)} · {m(tillTotal(sale))}
      </h2>
      <p>
        Paid: {tendersText(sale, currency)}
        {sale.body.offline !== undefined && <span className="muted"> · offline sale #{sale.body.offline.seq}</span>}
      </p>
      {diff !== undefined && diff.changes.length > 0 ? (
        <ul className="changes" data-testid="changes">
          {diff.changes.map((c, i) => (
            <li key={i}>{describeReplayChange(c, m)}</li>
          ))}
        </ul>
      ) : (
        <div className="notice bad" data-testid="refusal">
          <p>
            {sale.error?.message} <span className="muted">({sale.error?.code})</span>
          </p>
          <p>{adviceFor(sale.error?.code ?? '')}</p>
          <p className="muted">Sale reference: {sale.id}</p>
        </div>
      )}
      {diff !== undefined && choices.length === 1 && (
        <p className="hint">This sale can only be cancelled: a product or the register is gone since.</p>
      )}
      <div className="choices">
        {choices.map((c) => (
          <button
            key={c}
            className={choice === c ? 'choice chosen' : 'choice'}
            onClick={() => {
              setChoice(c);
              setError(undefined);
            }}
            disabled={busy}
          >
            {CHOICE_LABELS[c]}
          </button>
        ))}
        {(diff === undefined || diff.changes.length === 0) && (
          <button className="choice" onClick={() => void sendAgain()} disabled={busy}>
            Send it again
          </button>
        )}
      </div>
      {choice !== undefined && (
        <form onSubmit={(e) => void submit(e)} className="resolution">
          {choice === 'accept_server_prices' && (
            <p className="big" data-testid="settle">
              {difference > 0
                ? `Collect ${m(difference)} more in cash (the total is now ${m(serverTotal(sale))}).`
                : difference < 0
                  ? `Give back ${m(-difference)} change (the total is now ${m(serverTotal(sale))}).`
                  : `Nothing to collect or give back: the total is ${m(serverTotal(sale))}.`}
            </p>
          )}
          {choice === 'keep_till_prices' && (
            <p>
              The sale is kept at the till’s prices ({m(tillTotal(sale))}), as the customer paid. A manager approves.
            </p>
          )}
          {choice === 'sell_beyond_stock' && <p>The items short of stock are sold anyway. A manager approves.</p>}
          {choice === 'cancel' && (
            <>
              <p className="big" data-testid="refund">
                {refundText(taken, m)}
              </p>
              <label>
                Reason
                <input
                  value={reason}
                  maxLength={500}
                  onChange={(e) => setReason(e.target.value)}
                  placeholder="Refused on sync; cancelled at the till"
                  aria-label="Reason"
                />
              </label>
            </>
          )}
          {manager && (
            <label>
              Manager PIN
              <input
                type="password"
                inputMode="numeric"
                autoComplete="off"
                value={pin}
                onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
                aria-label="Manager PIN"
                autoFocus
              />
            </label>
          )}
          <ErrorNote error={error} />
          {note !== undefined && <p className="notice warn">{note}</p>}
          <div className="row">
            <button type="button" onClick={() => setChoice(undefined)} disabled={busy}>
              Back
            </button>
            <button className="primary" disabled={busy || (manager && pin.length < 4)}>
              {confirmLabel(choice, difference, m)}
            </button>
          </div>
        </form>
      )}
    </article>
  );
}

function refundText(taken: { cash: number; external_card: number }, m: (cents: number) => string): string {
  const parts: string[] = [];
  if (taken.cash > 0) parts.push(`Give back ${m(taken.cash)} cash`);
  if (taken.external_card > 0) parts.push(`refund ${m(taken.external_card)} on the card terminal`);
  return parts.length === 0 ? 'Nothing was taken: nothing to give back.' : `${parts.join(', and ')}.`;
}

function confirmLabel(choice: ConflictChoice, difference: number, m: (cents: number) => string): string {
  switch (choice) {
    case 'accept_server_prices':
      return difference > 0
        ? `Collected ${m(difference)}: send the sale`
        : difference < 0
          ? `Gave back ${m(-difference)}: send the sale`
          : 'Send the sale';
    case 'keep_till_prices':
    case 'sell_beyond_stock':
      return 'Approve and send the sale';
    case 'cancel':
      return 'Refund given: cancel the sale';
  }
}

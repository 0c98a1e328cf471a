import { useState, type SyntheticEvent } from 'react';
import type { TillContext } from '../../api/types.ts';
import { ErrorNote } from '../../app/ErrorNote.tsx';
import type { ParkedCart } from '../../data/db.ts';
import { giveBackSentences } from '../tender/give-back.ts';
import { cartTotals } from './cart.ts';
import { Dialog } from './Dialogs.tsx';
import { money } from './money.ts';

/** A parked sale in one line: its label, who parked it, when, its size, its total, and what was already paid. */
export function parkedSummary(p: ParkedCart, ctx: TillContext): string {
  const lines = p.cart.lines.length;
  const total = money(p.cart.taken?.total_cents ?? cartTotals(p.cart, ctx).total_cents, ctx.currency);
  const paid = p.cart.taken?.paid_cents ?? 0;
  return [
    p.label ?? 'Parked',
    ...(p.cashier === undefined ? [] : [p.cashier]),
    new Date(p.parked_at).toLocaleTimeString(),
    `${lines} ${lines === 1 ? 'line' : 'lines'}`,
    total,
    ...(paid > 0 ? [`${money(paid, ctx.currency)} already paid`] : []),
  ].join(' · ');
}

/**
 * The carts parked on this till, oldest first: choosing one resumes it; deleting one asks why. A sale whose tenders
 * the server holds is cancelled there first (what was taken is given back, and the server audits it).
 */
export function ParkedSalesDialog(props: {
  parked: readonly ParkedCart[];
  ctx: TillContext;
  onResume: (id: string) => void;
  onDelete: (parked: ParkedCart, reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const { ctx } = props;
  const [deleting, setDeleting] = useState<ParkedCart>();
  if (deleting !== undefined) {
    return (
      <DeleteParkedDialog
        parked={deleting}
        ctx={ctx}
        onDelete={async (reason) => {
          await props.onDelete(deleting, reason);
          setDeleting(undefined);
        }}
        onClose={() => setDeleting(undefined)}
      />
    );
  }
  return (
    <Dialog title="Parked sales" onClose={props.onClose}>
      {props.parked.length === 0 && <p className="muted">No parked sales.</p>}
      <div className="choices">
        {props.parked.map((p, i) => (
          <div key={p.id} className="parked-row">
            <button className="choice" autoFocus={i === 0} onClick={() => props.onResume(p.id)}>
              {parkedSummary(p, ctx)}
            </button>
            <button aria-label={`Delete parked sale: ${parkedSummary(p, ctx)}`} onClick={() => setDeleting(p)}>
              Delete…
            </button>
          </div>
        ))}
      </div>
      <div className="row">
        <button onClick={props.onClose} autoFocus={props.parked.length === 0}>
          Close (Esc)
        </button>
      </div>
    </Dialog>
  );
}

function DeleteParkedDialog(props: {
  parked: ParkedCart;
  ctx: TillContext;
  onDelete: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const giveBack = giveBackSentences(props.parked.cart.taken, props.ctx.currency);

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (reason.trim() === '') return;
    setBusy(true);
    setError(undefined);
    try {
      await props.onDelete(reason.trim());
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <Dialog title="Delete parked sale" onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <p>{parkedSummary(props.parked, props.ctx)}</p>
        {giveBack.length > 0 && (
          <>
            <p className="hint">Payments were taken on this sale: deleting it cancels it on the server.</p>
            <ul className="give-back">
              {giveBack.map((s) => (
                <li key={s}>
                  <strong>{s}</strong>
                </li>
              ))}
            </ul>
          </>
        )}
        <label>
          Reason
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            autoFocus
            aria-label="Reason"
          />
        </label>
        <ErrorNote error={error} />
        <div className="row">
          <button type="button" onClick={props.onClose} disabled={busy}>
            Keep it (Esc)
          </button>
          <button className="primary" disabled={busy || reason.trim() === ''}>
            Delete
          </button>
        </div>
      </form>
    </Dialog>
  );
}

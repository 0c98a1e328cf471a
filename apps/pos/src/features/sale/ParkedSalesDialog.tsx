import { useState } from 'react';
import type { TillContext } from '../../api/types.ts';
import type { ParkedCart } from '../../data/db.ts';
import { giveBackSentences } from '../tender/give-back.ts';
import { GiveBackList, ReasonDialog } from '../tender/ReasonDialog.tsx';
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
  const giveBack = giveBackSentences(props.parked.cart.taken, props.ctx.currency);
  return (
    <ReasonDialog
      title="Delete parked sale"
      confirmLabel="Delete"
      keepLabel="Keep it (Esc)"
      onConfirm={props.onDelete}
      onClose={props.onClose}
    >
      <p>{parkedSummary(props.parked, props.ctx)}</p>
      {giveBack.length > 0 && (
        <>
          <p className="hint">Payments were taken on this sale: deleting it cancels it on the server.</p>
          <GiveBackList sentences={giveBack} />
        </>
      )}
    </ReasonDialog>
  );
}

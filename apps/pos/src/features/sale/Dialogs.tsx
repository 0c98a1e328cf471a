import { useState, type SyntheticEvent, type ReactNode } from 'react';
import { approveDiscount } from '../../api/pos.ts';
import type { TillContext } from '../../api/types.ts';
import { ErrorNote } from '../../app/ErrorNote.tsx';
import type { ParkedCart } from '../../data/db.ts';
import { cartTotals, type Approval, type Cart } from './cart.ts';
import { money, percent } from './money.ts';

/** A modal with a title; Escape closes it. */
export function Dialog(props: { title: string; onClose: () => void; children: ReactNode }) {
  return (
    <div
      className="backdrop"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          props.onClose();
        }
      }}
    >
      <div className="dialog" role="dialog" aria-modal="true" aria-label={props.title}>
        <h2>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}

/**
 * A discount: the order's, or one line's. Up to the cashier's limit it applies at once; above it a manager types
 * their PIN here, the server checks it, audits the approval and signs it for this sale only. The limit is on the
 * largest discount any line ends up with (`largestWith`: a line's own and the order's stack), as the server checks.
 */
export function DiscountDialog(props: {
  title: string;
  /** The discount now, in basis points. */
  current: number;
  /** The largest discount on any line of the cart if this discount were `bp`. */
  largestWith: (bp: number) => number;
  cart: Cart;
  ctx: TillContext;
  isManager: boolean;
  onApply: (discountBp: number, approval: Approval | undefined) => void;
  onClose: () => void;
}) {
  const [text, setText] = useState(props.current === 0 ? '' : String(props.current / 100));
  const [pin, setPin] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const value = Number(text.replace(',', '.'));
  const bp = Number.isFinite(value) ? Math.round(value * 100) : NaN;
  const valid = text.trim() !== '' && Number.isInteger(bp) && bp >= 0 && bp <= 10_000;
  const limit = props.ctx.cashier_discount_limit_bp;
  const largest = valid ? props.largestWith(bp) : 0;
  const approved = props.cart.approval !== undefined && props.cart.approval.max_discount_bp >= largest;
  const needsManager = valid && largest > limit && !props.isManager && !approved;

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (!valid) return;
    if (!needsManager) {
      props.onApply(bp, largest > limit && !props.isManager ? props.cart.approval : undefined);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const res = await approveDiscount({
        register_id: props.ctx.register_id,
        order_id: props.cart.id,
        discount_bp: largest,
        pin,
      });
      props.onApply(bp, { token: res.approval, manager_name: res.manager_name, max_discount_bp: res.max_discount_bp });
    } catch (err) {
      setError(err);
      setPin('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          Discount in %
          <input
            inputMode="decimal"
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoFocus
            aria-label="Discount percent"
          />
        </label>
        <p className="hint">
          You may give up to {percent(limit)}
          {props.isManager ? ' (you are a manager: no limit)' : '; above that a manager approves with their PIN'}.
        </p>
        {valid && largest !== bp && (
          <p className="hint">
            Together with the other discounts, a line gets {percent(largest)} off in all: the limit applies to that.
          </p>
        )}
        {needsManager && (
          <label>
            Manager PIN to approve {percent(largest)}
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
        <div className="row">
          <button type="button" onClick={props.onClose}>
            Cancel (Esc)
          </button>
          <button className="primary" disabled={!valid || busy || (needsManager && pin.length < 4)}>
            {needsManager ? 'Approve and apply' : 'Apply'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A note on the order (printed on the receipt). */
export function NoteDialog(props: { note: string; onSave: (note: string) => void; onClose: () => void }) {
  const [note, setNote] = useState(props.note);
  return (
    <Dialog title="Note" onClose={props.onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          props.onSave(note.slice(0, 500));
        }}
      >
        <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} autoFocus aria-label="Note" />
        <div className="row">
          <button type="button" onClick={props.onClose}>
            Cancel (Esc)
          </button>
          <button className="primary">Save note</button>
        </div>
      </form>
    </Dialog>
  );
}

/** The carts parked on this till, oldest first; choosing one resumes it. */
export function ParkedSalesDialog(props: {
  parked: readonly ParkedCart[];
  ctx: TillContext;
  onResume: (id: string) => void;
  onClose: () => void;
}) {
  const { ctx } = props;
  return (
    <Dialog title="Parked sales" onClose={props.onClose}>
      {props.parked.length === 0 && <p className="muted">No parked sales.</p>}
      <div className="choices">
        {props.parked.map((p, i) => (
          <button key={p.id} className="choice" autoFocus={i === 0} onClick={() => props.onResume(p.id)}>
            {new Date(p.parked_at).toLocaleTimeString()} · {p.cart.lines.length} lines ·{' '}
            {money(cartTotals(p.cart, ctx).total_cents, ctx.currency)}
          </button>
        ))}
      </div>
      <div className="row">
        <button onClick={props.onClose}>Close (Esc)</button>
      </div>
    </Dialog>
  );
}

import { useState, type SyntheticEvent, type ReactNode } from 'react';
import { approveDiscount } from '../../api/pos.ts';
import type { TillContext } from '../../api/types.ts';
import { ErrorNote } from '../../app/ErrorNote.tsx';
import type { Approval, Cart } from './cart.ts';
import { percent } from './money.ts';

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
 * largest discount any line ends up with (`largestWith`: a line's own and the order's stack), as the server checks
 * (the domain's `discountNeedsApproval`), and the dialog says so before anything is typed, then shows the stacked
 * discount as the cashier types (issue 13 §1.7).
 */
export function DiscountDialog(props: {
  title: string;
  /** The discount now, in basis points. */
  current: number;
  /** The largest discount on any line of the cart if this discount were `bp`. */
  largestWith: (bp: number) => number;
  /** A line's dialog: that line's own and the order's discount stacked, if its own were `bp`. */
  lineWith?: ((bp: number) => number) | undefined;
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
        <p className="hint" data-testid="discount-rule">
          {props.isManager ? 'You are a manager: no limit. A cashier’s limit is ' : 'Your limit is '}
          {percent(limit)} in total per line, line and order discounts combined
          {valid ? `: ${stackedSentence(bp, largest, props.lineWith)}` : ''}.
          {!props.isManager && ' Above it a manager approves with their PIN.'}
        </p>
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

/** What the discount typed gives, stacked: on this line (a line's dialog), and on the most discounted line. */
function stackedSentence(bp: number, largest: number, lineWith: ((bp: number) => number) | undefined): string {
  if (lineWith === undefined) return `the most discounted line would get ${percent(largest)}`;
  const line = lineWith(bp);
  return line === largest
    ? `this line would get ${percent(line)}`
    : `this line would get ${percent(line)}, another line ${percent(largest)}`;
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

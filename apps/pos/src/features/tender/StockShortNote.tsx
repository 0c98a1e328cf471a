import { useEffect, useState, type SyntheticEvent } from 'react';
import { approveOversell } from '../../api/pos.ts';
import type { TillContext } from '../../api/types.ts';
import { ErrorNote } from '../../app/ErrorNote.tsx';
import { stockApprovalOf, type Cart, type StockApproval } from '../sale/cart.ts';
import { shortLineText, type ShortLine } from './stock-short.ts';

/**
 * A sale refused for want of stock (the shop blocks sales beyond stock): each short line by name and quantities,
 * and a manager's PIN to sell it anyway. The server checks the PIN, audits the approval and signs it for this sale
 * id only; the cart carries it and the sale is sent again (`useResendWhenApproved`), where it is audited as
 * `order.oversold`.
 */
export function StockShortNote(props: {
  lines: readonly ShortLine[];
  cart: Cart;
  ctx: TillContext;
  busy: boolean;
  onApproved: (approval: StockApproval) => void;
}) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<unknown>();
  const [asking, setAsking] = useState(false);

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    setAsking(true);
    setError(undefined);
    try {
      const res = await approveOversell({ register_id: props.ctx.register_id, order_id: props.cart.id, pin });
      props.onApproved({ token: res.approval, manager_name: res.manager_name, order_id: props.cart.id });
    } catch (err) {
      setError(err);
      setPin('');
    } finally {
      setAsking(false);
    }
  }

  return (
    <section
      className="notice bad stock-short"
      aria-label="Not enough stock"
      data-testid="stock-short"
      data-sale-id={props.cart.id}
    >
      <p role="status">
        <strong>Not enough stock:</strong>
      </p>
      <ul>
        {props.lines.map((line) => (
          <li key={line.variant_id}>{shortLineText(line)}</li>
        ))}
      </ul>
      <p className="hint">Take the short items off the sale, or a manager approves selling them anyway.</p>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          Manager PIN
          <input
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
            aria-label="Manager PIN"
            disabled={props.busy || asking}
          />
        </label>
        <button className="primary" disabled={props.busy || asking || pin.length < 4}>
          Manager approval to sell anyway
        </button>
      </form>
      <ErrorNote error={error} />
    </section>
  );
}

/**
 * Sends the sale again once the cart carries the manager's approval to sell beyond stock: the approval lands in the
 * cart store first, and the sale must be built from that cart, not the one on screen when the PIN was typed.
 * Returns the function that marks a resend as wanted.
 */
export function useResendWhenApproved(cart: Cart, resend: () => void): () => void {
  const [wanted, setWanted] = useState(false);
  useEffect(() => {
    if (!wanted || stockApprovalOf(cart) === undefined) return;
    setWanted(false);
    resend();
  }, [wanted, cart, resend]);
  return () => setWanted(true);
}

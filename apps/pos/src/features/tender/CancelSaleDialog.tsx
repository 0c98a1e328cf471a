import { useState, type SyntheticEvent } from 'react';
import { ErrorNote } from '../../app/ErrorNote.tsx';
import { Dialog } from '../sale/Dialogs.tsx';
import type { TakenPayments } from '../sale/cart.ts';
import { giveBackSentences } from './give-back.ts';

/**
 * Cancelling a sale whose tenders the server already took: says what goes back (cash from the drawer, cards voided
 * or refunded by the server) and asks why; the server records it on the order and in the audit log.
 */
export function CancelSaleDialog(props: {
  taken: TakenPayments | undefined;
  currency: string;
  onCancel: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const giveBack = giveBackSentences(props.taken, props.currency);

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (reason.trim() === '') return;
    setBusy(true);
    setError(undefined);
    try {
      await props.onCancel(reason.trim());
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <Dialog title="Cancel this sale" onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)}>
        {giveBack.length === 0 ? (
          <p className="hint">Nothing was paid on this sale yet.</p>
        ) : (
          <ul className="give-back">
            {giveBack.map((s) => (
              <li key={s}>
                <strong>{s}</strong>
              </li>
            ))}
          </ul>
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
            Keep the sale (Esc)
          </button>
          <button className="primary" disabled={busy || reason.trim() === ''}>
            Cancel the sale
          </button>
        </div>
      </form>
    </Dialog>
  );
}

import { useState, type ReactNode, type SyntheticEvent } from 'react';
import { ErrorNote } from '../../app/ErrorNote.tsx';
import { Dialog } from '../sale/Dialogs.tsx';

/**
 * A dialog that gives money back or throws a sale away, and so asks why first (the server records the reason): what
 * it is about (`children`), a reason, and the two buttons. `onConfirm` rejects with the server's error, shown here.
 */
export function ReasonDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  keepLabel: string;
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (reason.trim() === '') return;
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(reason.trim());
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)}>
        {props.children}
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
            {props.keepLabel}
          </button>
          <button className="primary" disabled={busy || reason.trim() === ''}>
            {props.confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** What goes back, one sentence each ("Give back $5.00 cash"), in bold: the cashier must not miss it. */
export function GiveBackList(props: { sentences: readonly string[] }) {
  return (
    <ul className="give-back">
      {props.sentences.map((s) => (
        <li key={s}>
          <strong>{s}</strong>
        </li>
      ))}
    </ul>
  );
}

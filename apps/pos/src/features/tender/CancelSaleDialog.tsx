import type { TakenPayments } from '../sale/cart.ts';
import { giveBackSentences } from './give-back.ts';
import { GiveBackList, ReasonDialog } from './ReasonDialog.tsx';

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
  const giveBack = giveBackSentences(props.taken, props.currency);
  return (
    <ReasonDialog
      title="Cancel this sale"
      confirmLabel="Cancel the sale"
      keepLabel="Keep the sale (Esc)"
      onConfirm={props.onCancel}
      onClose={props.onClose}
    >
      {giveBack.length === 0 ? (
        <p className="hint">Nothing was paid on this sale yet.</p>
      ) : (
        <GiveBackList sentences={giveBack} />
      )}
    </ReasonDialog>
  );
}

import { receiptRows, type ReceiptData } from '@novapos/domain';
import { useEffect, useRef } from 'react';
import { api, call, ok } from '../../api/api.ts';
import { money } from '../sale/money.ts';

/**
 * The receipt rows of the domain (the same layout the server prints), drawn as HTML. A sale the server accepted
 * after it was made offline prints the till's time as the sale's and the server's as "Synced" (the domain's rows).
 */
export function ReceiptView({ data, queued }: { data: ReceiptData; queued: boolean }) {
  // A queued sale is complete but not confirmed by the server, which gives it its number: say so, not "Open order".
  const rows = receiptRows(data).map((row) =>
    queued && row.kind === 'pair' && data.order_number === null && row.left === 'Open order'
      ? { ...row, left: 'Not yet confirmed' }
      : row,
  );
  return (
    <div className="receipt" data-testid="receipt">
      {rows.map((row, i) => {
        switch (row.kind) {
          case 'center':
            return (
              <p key={i} className={row.strong === true ? 'center strong' : 'center'}>
                {row.text}
              </p>
            );
          case 'pair':
            return (
              <p key={i} className={row.strong === true ? 'pair strong' : 'pair'}>
                <span>{row.left}</span>
                <span>{row.right}</span>
              </p>
            );
          case 'text':
            return (
              <p key={i} className="text">
                {row.text}
              </p>
            );
          case 'rule':
            return <hr key={i} />;
          default:
            return <br key={i} />;
        }
      })}
    </div>
  );
}

/**
 * After the sale: the receipt, print (the server's HTML receipt in the browser's print dialog; a sale still in the
 * offline queue prints this screen), and a new sale in one key (Enter or N).
 */
export function ReceiptScreen(props: {
  receipt: ReceiptData;
  /** The sale's client id (the order id on the server, once it has it). */
  saleId: string;
  orderId: string | undefined;
  queued: boolean;
  onNewSale: () => void;
}) {
  const newSale = useRef<HTMLButtonElement>(null);
  const { receipt } = props;

  async function print() {
    if (props.orderId === undefined) {
      window.print();
      return;
    }
    const id = props.orderId;
    try {
      const html = await call(() =>
        ok(
          api.GET('/v1/orders/{id}/receipt', {
            params: { path: { id }, query: { format: 'html' } },
            parseAs: 'text',
          }),
        ),
      );
      const frame = document.createElement('iframe');
      frame.className = 'print-frame';
      frame.srcdoc = html;
      frame.onload = () => {
        frame.contentWindow?.print();
        setTimeout(() => frame.remove(), 1000);
      };
      document.body.append(frame);
    } catch {
      window.print();
    }
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'p' || e.key === 'P') {
        e.preventDefault();
        void print();
      } else if (e.key === 'n' || e.key === 'N') {
        e.preventDefault();
        props.onNewSale();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <main className="done" aria-label="Receipt" data-sale-id={props.saleId}>
      <section className="summary">
        <h1>Sale complete</h1>
        {receipt.change_cents > 0 && (
          <p className="change" data-testid="change-due">
            Change due <strong>{money(receipt.change_cents, receipt.currency)}</strong>
          </p>
        )}
        {props.queued && (
          <p className="notice warn" role="status">
            Not yet confirmed by the server: saved on this till, it is sent when the network returns.
          </p>
        )}
        <div className="actions">
          <button ref={newSale} className="primary" onClick={props.onNewSale} autoFocus>
            New sale (Enter / N)
          </button>
          <button onClick={() => void print()}>Print receipt (P)</button>
        </div>
      </section>
      <ReceiptView data={receipt} queued={props.queued} />
    </main>
  );
}

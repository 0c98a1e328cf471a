import { useState, type SyntheticEvent } from 'react';
import { Link } from 'wouter';
import { listRegisters } from '../../api/locations.ts';
import { getOrder, receiptHtml, receiptText, voidOrder, type Order } from '../../api/orders.ts';
import { money, percent, when } from '../../app/format.ts';
import { useSession } from '../../app/session-context.tsx';
import { useLoad } from '../../app/use-load.ts';
import { Badge, Dialog, ErrorNotice, Field, Loading, Notice, Page, useAction } from '../../app/ui.tsx';
import { STATUS_KIND, STATUS_NAMES, tenderName } from './order-labels.ts';

/**
 * Prints the order's HTML receipt (the server's escaped layout) from a hidden frame, so the browser's print dialog
 * shows the receipt alone rather than the whole page.
 */
async function printReceipt(id: string): Promise<void> {
  const html = await receiptHtml(id);
  const frame = document.createElement('iframe');
  frame.style.position = 'fixed';
  frame.style.width = '0';
  frame.style.height = '0';
  frame.style.border = '0';
  frame.onload = () => {
    frame.contentWindow?.print();
    setTimeout(() => frame.remove(), 1000);
  };
  frame.srcdoc = html;
  document.body.append(frame);
}

function VoidDialog(props: { order: Order; onClose: () => void; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const action = useAction();
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void action
      .run(async () => voidOrder(props.order.id, reason.trim()).then(() => undefined))
      .then((ok) => ok && props.onDone());
  };
  return (
    <Dialog
      title={`Void order ${props.order.number === null ? '' : `#${props.order.number}`}`}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            Keep the order
          </button>
          <button type="submit" form="void-form" className="btn danger" disabled={action.busy || reason.trim() === ''}>
            Void order
          </button>
        </>
      }
    >
      <form id="void-form" className="stack" onSubmit={submit}>
        <ErrorNotice error={action.error} />
        <p style={{ margin: 0 }}>
          The sale is cancelled and its items go back into stock. The order keeps its number; the void is audited. Money
          already taken is not refunded here.
        </p>
        <Field label="Reason">
          <input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} autoFocus />
        </Field>
      </form>
    </Dialog>
  );
}

/** How a refused offline sale was resolved, in words. */
const RESOLUTION_WORDS: Record<NonNullable<Order['replay_resolution']>['kind'], string> = {
  accept_server_prices: "at the shop's current prices",
  keep_till_prices: "at the till's prices, approved by a manager",
  sell_beyond_stock: 'beyond stock, approved by a manager',
};

/** One order: lines with their locked prices, totals, tenders, its receipt, and void for managers. */
export function OrderPage(props: { id: string }) {
  const { can } = useSession();
  const order = useLoad(() => getOrder(props.id), [props.id]);
  const receipt = useLoad(() => receiptText(props.id), [props.id, order.data?.status]);
  const registers = useLoad(() => listRegisters(true), []);
  const [voiding, setVoiding] = useState(false);
  const [voided, setVoided] = useState(false);
  const printing = useAction();
  const o = order.data;
  const back = <Link href="/orders">← All orders</Link>;
  if (o === undefined) {
    return (
      <Page title="Order" subtitle={back}>
        <ErrorNotice error={order.error} />
        {order.error === undefined && <Loading />}
      </Page>
    );
  }
  const m = (cents: number) => money(cents, o.currency);
  const register = registers.data?.data.find((r) => r.id === o.register_id);

  return (
    <Page
      title={o.number === null ? 'Parked order' : `Order #${o.number}`}
      subtitle={back}
      actions={
        <>
          <Badge kind={STATUS_KIND[o.status]}>{STATUS_NAMES[o.status]}</Badge>
          {can('orders.void') && o.status !== 'voided' && (
            <button type="button" className="btn danger" onClick={() => setVoiding(true)}>
              Void…
            </button>
          )}
        </>
      }
    >
      {voided && <Notice kind="ok">The order was voided and its stock returned.</Notice>}
      <div className="grid two">
        <div className="stack">
          <div className="card">
            <table>
              <thead>
                <tr>
                  <th>Item</th>
                  <th className="num">Qty</th>
                  <th className="num">Price</th>
                  <th className="num">Discount</th>
                  <th className="num">Tax</th>
                  <th className="num">Total</th>
                </tr>
              </thead>
              <tbody>
                {o.items.map((line) => (
                  <tr key={line.position}>
                    <td>
                      {line.name}
                      <div className="muted mono">
                        {line.sku} · {line.tax_code}
                      </div>
                    </td>
                    <td className="num">{line.quantity}</td>
                    <td className="num">{m(line.unit_price_cents)}</td>
                    <td className="num">
                      {line.line_discount_cents === 0 ? '—' : `−${m(line.line_discount_cents)}`}
                      {line.discount_percent_bp > 0 && (
                        <div className="muted">incl. {percent(line.discount_percent_bp)} on the line</div>
                      )}
                    </td>
                    <td className="num">{m(line.line_tax_cents)}</td>
                    <td className="num">{m(line.line_total_cents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="card">
            <dl className="facts">
              <dt>Subtotal</dt>
              <dd className="num" style={{ textAlign: 'left' }}>
                {m(o.subtotal_cents)}
              </dd>
              {o.item_discount_cents > 0 && (
                <>
                  <dt>Line discounts</dt>
                  <dd>−{m(o.item_discount_cents)}</dd>
                </>
              )}
              <dt>{o.item_discount_cents > 0 ? 'Order discount' : 'Discount'}</dt>
              <dd>
                {o.order_discount_cents === 0
                  ? '—'
                  : `−${m(o.order_discount_cents)} (${percent(o.discount_percent_bp)})`}
              </dd>
              <dt>Tax</dt>
              <dd>
                {m(o.tax_cents)} at {percent(o.tax_rate_bps)} <span className="muted">({o.tax_rate_source} rate)</span>
              </dd>
              <dt>Total</dt>
              <dd>
                <strong>{m(o.total_cents)}</strong>
              </dd>
              {o.tenders.map((t) => (
                <FragmentTender key={t.id} name={tenderName(t)} amount={m(t.tendered_cents)} />
              ))}
              {o.change_cents > 0 && (
                <>
                  <dt>Change</dt>
                  <dd>{m(o.change_cents)}</dd>
                </>
              )}
              <dt>Register</dt>
              <dd>{register?.name ?? '…'}</dd>
              {o.created_offline_at !== null && (
                <>
                  <dt>Taken offline</dt>
                  <dd>
                    {when(o.created_offline_at)} <span className="muted">(the till's clock)</span>
                    {o.offline_card_review && (
                      <>
                        {' '}
                        <Badge kind="warn">card taken offline</Badge>
                      </>
                    )}
                  </dd>
                </>
              )}
              {o.replay_resolution !== null && (
                <>
                  <dt>Resolved</dt>
                  <dd>{RESOLUTION_WORDS[o.replay_resolution.kind]}</dd>
                </>
              )}
              <dt>{o.created_offline_at === null ? 'Created' : 'Received'}</dt>
              <dd>{when(o.created_at)}</dd>
              {o.completed_at !== null && (
                <>
                  <dt>Completed</dt>
                  <dd>{when(o.completed_at)}</dd>
                </>
              )}
              {o.voided_at !== null && (
                <>
                  <dt>Voided</dt>
                  <dd>
                    {when(o.voided_at)} — {o.void_reason}
                  </dd>
                </>
              )}
              {o.note !== null && (
                <>
                  <dt>Note</dt>
                  <dd>{o.note}</dd>
                </>
              )}
            </dl>
          </div>
        </div>
        <div className="card">
          <div className="card-head">
            <h2>Receipt</h2>
            <button
              type="button"
              className="btn small"
              onClick={() => void printing.run(() => printReceipt(o.id))}
              disabled={printing.busy}
            >
              Print
            </button>
          </div>
          <ErrorNotice error={printing.error} />
          <ErrorNotice error={receipt.error} />
          {receipt.data !== undefined ? (
            <pre className="receipt" data-testid="receipt">
              {receipt.data}
            </pre>
          ) : (
            receipt.error === undefined && <Loading />
          )}
        </div>
      </div>
      {voiding && (
        <VoidDialog
          order={o}
          onClose={() => setVoiding(false)}
          onDone={() => {
            setVoiding(false);
            setVoided(true);
            order.reload();
          }}
        />
      )}
    </Page>
  );
}

function FragmentTender(props: { name: string; amount: string }) {
  return (
    <>
      <dt>Paid ({props.name})</dt>
      <dd>{props.amount}</dd>
    </>
  );
}

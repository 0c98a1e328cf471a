import { roundToIncrement } from '@novapos/domain';
import { useMemo, useRef, useState } from 'react';
import type { TillContext } from '../../api/api.ts';
import { ErrorNote } from '../../app/ErrorNote.tsx';
import { cartTotals, type Cart } from '../sale/cart.ts';
import { money } from '../sale/money.ts';
import { hasTakenMoney } from '../sale/sale-identity.ts';
import { CancelSaleDialog } from './CancelSaleDialog.tsx';
import { takenLabel } from './give-back.ts';
import { shortLinesOf } from './stock-short.ts';
import { StockShortNote, useResendWhenApproved } from './StockShortNote.tsx';
import { externalCardVerdict, offlineCardPolicy, useOfflineCards } from './offline-cards.ts';
import { parseAmount, quickCashAmounts, settle, type Tender } from './tenders.ts';

/** Simulator test tokens (docs/payments.md): what a card reader hands over in demo mode. */
const TEST_CARDS = [
  { token: 'tok_visa', label: 'Visa (approved)' },
  { token: 'tok_mastercard', label: 'Mastercard (approved)' },
  { token: 'tok_declined', label: 'Declined card' },
];

/**
 * Taking payment: cash with quick amounts and change due, a card through the processor, a card on a stand-alone
 * terminal with its reference, or several of them (split). The sale completes when the tenders cover the total.
 * Tenders the server already took (a card declined after them) are listed and count: only the rest is due, and the
 * sale can no longer go back to be changed — it is paid, or cancelled with what was taken given back.
 */
export function TenderScreen(props: {
  ctx: TillContext;
  cart: Cart;
  busy: boolean;
  error: unknown;
  onBack: () => void;
  onComplete: (tenders: Tender[]) => void;
  /**
   * Sends the refused sale again with the tenders it was refused with (a manager approved selling it beyond stock):
   * this screen starts afresh after a refusal, so it no longer holds them.
   */
  onResend: () => void;
  /** Cancels the sale on the server (its taken tenders given back); rejects with the server's error. */
  onCancelSale: (reason: string) => Promise<void>;
  /** Changes the cart (a manager's approval to sell beyond stock joins it). */
  setCart: (cart: Cart) => void;
}) {
  const { ctx } = props;
  const taken = props.cart.taken;
  const locked = hasTakenMoney(props.cart);
  const totals = useMemo(() => cartTotals(props.cart, ctx), [props.cart, ctx]);
  // The discounts take the whole sale: it completes with no payment (the server completes a 0 total with none).
  const nothingToPay = totals.total_cents === 0 && !locked && props.cart.lines.length > 0;
  // The server's total once it holds the order: what its tenders are settled against.
  const totalCents = taken?.total_cents ?? totals.total_cents;
  const alreadyPaid = taken?.paid_cents ?? 0;
  const [tenders, setTenders] = useState<Tender[]>([]);
  const [cancelling, setCancelling] = useState(false);
  const settlement = settle(totalCents, tenders, ctx, alreadyPaid);
  const remaining = settlement.remaining_cents;
  const cashDue =
    ctx.cash_rounding_cents === null || remaining === 0
      ? remaining
      : roundToIncrement(remaining, ctx.cash_rounding_cents, ctx.money_rounding);
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [card, setCard] = useState(TEST_CARDS[0]?.token ?? 'tok_visa');
  const [problem, setProblem] = useState<string>();
  const amountInput = useRef<HTMLInputElement>(null);
  const typed = amount.trim() === '' ? remaining : parseAmount(amount, ctx.currency);
  const short = shortLinesOf(props.error, props.cart);
  const resendApproved = useResendWhenApproved(props.cart, props.onResend);
  const { offline, outageCardCents } = useOfflineCards();
  const policy = offlineCardPolicy(ctx);
  const saleCardCents = tenders.filter((t) => t.method === 'external_card').reduce((s, t) => s + t.amount_cents, 0);
  const offlineCardRule = (cents: number) =>
    externalCardVerdict({
      policy,
      saleCardCents,
      outageCardCents,
      amountCents: cents,
      money: (c) => money(c, ctx.currency),
    });
  const externalRefusal = offline && policy.mode === 'refuse' ? offlineCardRule(0) : undefined;

  function addTender(tender: Tender) {
    setProblem(undefined);
    const next = [...tenders, tender];
    let result;
    try {
      result = settle(totalCents, next, ctx, alreadyPaid);
    } catch (err) {
      setProblem(
        (err as Error).message.includes('change only comes from cash')
          ? 'A card pays at most what is left: change only comes from cash.'
          : 'That payment does not fit this sale.',
      );
      return;
    }
    setTenders(next);
    setAmount('');
    setReference('');
    if (result.settled) props.onComplete(next);
    else amountInput.current?.focus();
  }

  function cash(cents: number | undefined) {
    if (nothingToPay) props.onComplete([]);
    else if (cents === undefined) setProblem('Type an amount like 20 or 12.50.');
    else addTender({ method: 'cash', amount_cents: cents });
  }

  function cardTender(method: 'card' | 'external_card') {
    const cents = typed;
    if (cents === undefined) {
      setProblem('Type an amount like 20 or 12.50.');
      return;
    }
    if (method === 'external_card' && reference.trim() === '') {
      setProblem('Type the terminal’s reference first.');
      return;
    }
    if (method === 'card' && offline) {
      setProblem('The card processor cannot be reached while the till is offline.');
      return;
    }
    const verdict = method === 'external_card' && offline ? offlineCardRule(Math.min(cents, remaining)) : undefined;
    if (verdict !== undefined && !verdict.allowed) {
      setProblem(verdict.reason);
      return;
    }
    addTender(
      method === 'card'
        ? { method: 'card', amount_cents: cents, card_token: card }
        : { method: 'external_card', amount_cents: cents, reference: reference.trim() },
    );
  }

  return (
    <main className="tender" aria-label="Payment">
      <section className="due">
        <p className="label">Total</p>
        <p className="big" data-testid="tender-total">
          {money(totalCents, ctx.currency)}
        </p>
        {taken !== undefined && taken.tenders.length > 0 && (
          <>
            <p className="label">Already taken</p>
            <ul className="paid taken" data-testid="taken">
              {taken.tenders.map((t, i) => (
                <li key={i}>{takenLabel(t, ctx.currency)}</li>
              ))}
            </ul>
          </>
        )}
        {tenders.length > 0 && (
          <ul className="paid">
            {settlement.tenders.map((t, i) => (
              <li key={i}>
                {t.method === 'cash' ? 'Cash' : t.method === 'card' ? 'Card' : `Card (ref ${t.reference ?? ''})`}{' '}
                {money(t.applied_cents, ctx.currency)}
              </li>
            ))}
          </ul>
        )}
        <p className="label">Left to pay</p>
        <p className="big" data-testid="remaining">
          {money(remaining, ctx.currency)}
        </p>
        {cashDue !== remaining && <p className="hint">In cash: {money(cashDue, ctx.currency)}</p>}
        {typed !== undefined && remaining > 0 && typed > cashDue && (
          <>
            <p className="label">Change if paid in cash</p>
            <p className="big change-preview" data-testid="change-preview">
              {money(typed - cashDue, ctx.currency)}
            </p>
          </>
        )}
      </section>

      <section className="methods">
        {nothingToPay && (
          <div className="notice" role="status">
            <p>Nothing to pay: the discounts take the whole sale.</p>
            <button type="button" className="primary" onClick={() => props.onComplete([])} disabled={props.busy}>
              Complete the sale (Enter)
            </button>
          </div>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            cash(typed);
          }}
        >
          <label>
            Amount received (Enter = cash)
            <input
              ref={amountInput}
              className="amount"
              inputMode="decimal"
              placeholder={money(remaining, ctx.currency)}
              aria-label="Amount"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape' && !locked) props.onBack();
              }}
              autoFocus
              disabled={props.busy}
            />
          </label>
          <div className="quick" aria-label="Quick cash amounts">
            {quickCashAmounts(remaining, ctx.currency).map((cents, i) => (
              <button type="button" key={cents} onClick={() => cash(cents)} disabled={props.busy}>
                {i === 0 ? 'Exact ' : ''}
                {money(cents, ctx.currency)}
              </button>
            ))}
          </div>
          <button className="primary" disabled={props.busy}>
            Cash
          </button>
        </form>

        <fieldset disabled={props.busy || !ctx.card_payments || offline}>
          <legend>
            Card{!ctx.card_payments ? ' (not set up)' : offline ? ' (not while the till is offline)' : ''}
          </legend>
          <label>
            Card reader (test card)
            <select value={card} onChange={(e) => setCard(e.target.value)} aria-label="Test card">
              {TEST_CARDS.map((c) => (
                <option key={c.token} value={c.token}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => cardTender('card')}>
            Card {typed === undefined ? '' : money(Math.min(typed, remaining), ctx.currency)}
          </button>
        </fieldset>

        <fieldset disabled={props.busy || externalRefusal !== undefined}>
          <legend>Card on another terminal</legend>
          {offline && externalRefusal !== undefined && !externalRefusal.allowed && (
            <p className="hint" data-testid="offline-card-refused">
              {externalRefusal.reason}
            </p>
          )}
          {offline && policy.mode === 'external_terminal' && (
            <p className="hint" data-testid="offline-card-allowed">
              Offline: up to {money(policy.max_sale_cents, ctx.currency)} a sale,{' '}
              {money(Math.max(policy.max_outage_cents - outageCardCents, 0), ctx.currency)} left in this outage. The
              sale is marked for a manager’s review.
            </p>
          )}
          <label>
            Terminal reference
            <input value={reference} onChange={(e) => setReference(e.target.value)} aria-label="Terminal reference" />
          </label>
          <button type="button" onClick={() => cardTender('external_card')}>
            External card
          </button>
        </fieldset>

        {problem !== undefined && (
          <p className="notice bad" role="alert">
            {problem}
          </p>
        )}
        {short === undefined ? (
          <ErrorNote error={props.error} />
        ) : (
          <StockShortNote
            lines={short}
            cart={props.cart}
            ctx={ctx}
            busy={props.busy}
            onApproved={(approval) => {
              props.setCart({ ...props.cart, stock_approval: approval });
              resendApproved();
            }}
          />
        )}
        {locked && (
          <p className="hint">Payments were taken on this sale: pay what is left, or cancel it and give them back.</p>
        )}
        <div className="row">
          {locked ? (
            <button type="button" onClick={() => setCancelling(true)} disabled={props.busy}>
              Cancel sale…
            </button>
          ) : (
            <button type="button" onClick={props.onBack} disabled={props.busy}>
              Back to the sale (Esc)
            </button>
          )}
          {tenders.length > 0 && (
            <button type="button" onClick={() => setTenders([])} disabled={props.busy}>
              Clear payments
            </button>
          )}
        </div>
        {props.busy && <p className="hint">Completing the sale…</p>}
      </section>
      {cancelling && (
        <CancelSaleDialog
          taken={taken}
          currency={ctx.currency}
          onCancel={props.onCancelSale}
          onClose={() => setCancelling(false)}
        />
      )}
    </main>
  );
}

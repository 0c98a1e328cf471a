-- Cancelling a sale in progress at the till (issue 13 §1.2): an open order whose tenders took money (cash handed
-- over, a card charged before another was declined) is abandoned, and what its tenders took is given back — the
-- cash handed back by the cashier, each card voided (authorised) or refunded (captured) through its payment intent.
-- The order becomes `cancelled` with who, when and why; each tender keeps how it was given back (its reversal), so
-- the drawer's count and the card processor's settlement both explain the money.
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders
  ADD CONSTRAINT orders_status_check CHECK (status IN ('open', 'completed', 'voided', 'cancelled'));
-- A cancelled order never completed: it has no number, like an open one.
ALTER TABLE orders DROP CONSTRAINT orders_check;
ALTER TABLE orders
  ADD CONSTRAINT orders_number_when_completed
  CHECK ((status = 'open') = (number IS NULL) OR status = 'voided' OR (status = 'cancelled' AND number IS NULL));
ALTER TABLE orders
  ADD COLUMN cancelled_at  timestamptz NULL,
  ADD COLUMN cancelled_by  uuid NULL,
  ADD COLUMN cancel_reason text NULL CHECK (length(cancel_reason) BETWEEN 1 AND 500),
  ADD CONSTRAINT orders_cancelled_when CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL));

-- How a tender's money went back when its order was cancelled: `cash_returned` (handed back from the drawer),
-- `terminal_refund` (a card paid on a stand-alone terminal: the cashier refunds it there), `card_voided` (an
-- authorisation released), `card_refunded` (a captured charge refunded). NULL while it stands; a card of a
-- cancelled order whose processor call failed stays NULL until the cancel is sent again.
ALTER TABLE order_tenders
  ADD COLUMN reversal    text NULL,
  ADD COLUMN reversed_at timestamptz NULL,
  ADD CONSTRAINT order_tenders_reversed_when CHECK ((reversal IS NULL) = (reversed_at IS NULL)),
  ADD CONSTRAINT order_tenders_reversal_method CHECK (
    reversal IS NULL
    OR (method = 'cash' AND reversal = 'cash_returned')
    OR (method = 'external_card' AND reversal = 'terminal_refund')
    OR (method = 'card' AND reversal IN ('card_voided', 'card_refunded'))
  );

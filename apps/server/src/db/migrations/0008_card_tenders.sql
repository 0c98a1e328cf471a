-- Card tenders paid through a payment intent (issue 4 §3). The tender keeps the intent it was paid by and what a
-- receipt may print of the card: its brand and last four digits, never more.

ALTER TABLE order_tenders DROP CONSTRAINT order_tenders_method_check;
ALTER TABLE order_tenders
  ADD CONSTRAINT order_tenders_method_check CHECK (method IN ('cash', 'external_card', 'card'));

ALTER TABLE order_tenders
  ADD COLUMN payment_intent_id uuid NULL,
  ADD COLUMN card_brand        text NULL CHECK (length(card_brand) <= 32),
  ADD COLUMN card_last4        char(4) NULL CHECK (card_last4 ~ '^[0-9]{4}$'),
  -- A card tender is always paid by an intent, and only a card tender is.
  ADD CONSTRAINT order_tenders_card_intent CHECK ((method = 'card') = (payment_intent_id IS NOT NULL)),
  ADD CONSTRAINT order_tenders_intent_fk
    FOREIGN KEY (tenant_id, payment_intent_id) REFERENCES payment_intents (tenant_id, id);
CREATE UNIQUE INDEX order_tenders_intent ON order_tenders (payment_intent_id) WHERE payment_intent_id IS NOT NULL;

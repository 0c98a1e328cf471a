-- Card payment intents and their refunds (PRODUCT C4). Only a processor's token ever reaches us: the card is kept
-- as its brand and last four digits, nothing more.

CREATE TABLE payment_intents (
  id               uuid PRIMARY KEY,
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  order_id         uuid NULL,
  amount_cents     bigint NOT NULL CHECK (amount_cents > 0),
  currency         char(3) NOT NULL,
  capture_method   text NOT NULL CHECK (capture_method IN ('automatic', 'manual')),
  state            text NOT NULL
                   CHECK (state IN ('created', 'authorized', 'captured', 'partially_refunded', 'refunded', 'voided')),
  authorized_cents bigint NOT NULL DEFAULT 0 CHECK (authorized_cents >= 0),
  captured_cents   bigint NOT NULL DEFAULT 0 CHECK (captured_cents >= 0 AND captured_cents <= authorized_cents),
  refunded_cents   bigint NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0 AND refunded_cents <= captured_cents),
  card_brand       text NULL CHECK (length(card_brand) <= 32),
  card_last4       char(4) NULL CHECK (card_last4 ~ '^[0-9]{4}$'),
  provider         text NULL CHECK (length(provider) <= 64),
  provider_ref     text NULL CHECK (length(provider_ref) <= 255),
  idempotency_key  text NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  last_error       text NULL CHECK (length(last_error) <= 500),
  created_by       uuid NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  authorized_at    timestamptz NULL,
  captured_at      timestamptz NULL,
  voided_at        timestamptz NULL,
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, idempotency_key),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX payment_intents_tenant_time ON payment_intents (tenant_id, created_at DESC, id DESC);
CREATE INDEX payment_intents_order ON payment_intents (tenant_id, order_id) WHERE order_id IS NOT NULL;
-- For the stale-authorization sweeper of a later issue.
CREATE INDEX payment_intents_authorized ON payment_intents (authorized_at) WHERE state = 'authorized';
ALTER TABLE payment_intents ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment_intents
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

CREATE TABLE payment_refunds (
  id            uuid PRIMARY KEY,
  tenant_id     uuid NOT NULL,
  intent_id     uuid NOT NULL,
  amount_cents  bigint NOT NULL CHECK (amount_cents > 0),
  reason        text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  provider_ref  text NULL CHECK (length(provider_ref) <= 255),
  created_by    uuid NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, intent_id) REFERENCES payment_intents (tenant_id, id)
);
CREATE INDEX payment_refunds_intent ON payment_refunds (intent_id, created_at);
ALTER TABLE payment_refunds ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment_refunds
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

GRANT SELECT, INSERT, UPDATE ON payment_intents, payment_refunds TO novapos_app;

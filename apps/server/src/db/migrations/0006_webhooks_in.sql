-- Incoming webhooks (seed 000, PRODUCT C5): single-use nonces and the events stored before they are processed.
-- A payment processor is not a tenant: these are platform rows, visible only outside every tenant transaction
-- (the webhook route runs in platformTx; the processor runs on the system pool).

CREATE TABLE webhook_nonces (
  nonce       text PRIMARY KEY CHECK (length(nonce) BETWEEN 1 AND 200),
  -- The signed X-Timestamp (not the arrival time): a nonce older than the allowed skew can be pruned, since a
  -- replay of it carries the same signed timestamp and fails the skew check anyway.
  ts          timestamptz NOT NULL,
  provider    text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_nonces_ts ON webhook_nonces (ts);
ALTER TABLE webhook_nonces ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON webhook_nonces
  USING ((SELECT app_current_tenant()) IS NULL) WITH CHECK ((SELECT app_current_tenant()) IS NULL);

CREATE TABLE webhook_events (
  id              uuid PRIMARY KEY,
  provider        text NOT NULL CHECK (provider ~ '^[a-z0-9_-]{1,40}$'),
  -- The optional X-Provider header as sent; the path's provider is the one that counts.
  provider_header text NULL,
  event_type      text NULL,
  external_id     text NULL,
  -- NULL when the body was not a well-formed event (then status is failed).
  payload         jsonb NULL,
  -- The exact bytes that were signed (bytea: a malformed body may hold anything, even NUL bytes).
  raw_body        bytea NOT NULL,
  signed_with     text NOT NULL CHECK (signed_with IN ('active', 'previous')),
  status          text NOT NULL CHECK (status IN ('received', 'processed', 'ignored', 'failed')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  processed_at    timestamptz NULL
);
-- The processor's queue: only events still waiting are indexed.
CREATE INDEX webhook_events_due ON webhook_events (next_attempt_at, id) WHERE status = 'received';
-- Operators' lists (newest first, by status).
CREATE INDEX webhook_events_status ON webhook_events (status, id);
ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON webhook_events
  USING ((SELECT app_current_tenant()) IS NULL) WITH CHECK ((SELECT app_current_tenant()) IS NULL);

GRANT SELECT, INSERT ON webhook_nonces TO novapos_app;
GRANT SELECT, INSERT, UPDATE ON webhook_events TO novapos_app;

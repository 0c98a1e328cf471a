-- Outgoing webhooks (issue 4 §6): endpoints a tenant registers, one delivery per (endpoint, outbox event), and a
-- log row per HTTP attempt. Delivered by the webhook delivery worker (modules/hooks) under the Standard Webhooks
-- scheme.

CREATE TABLE webhook_endpoints (
  id                uuid PRIMARY KEY,
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  url               text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
  description       text NULL CHECK (length(description) <= 500),
  -- Topics (`order.completed`) or '*' for every event of the tenant.
  event_types       text[] NOT NULL CHECK (cardinality(event_types) BETWEEN 1 AND 50),
  -- 'whsec_' + base64 of 24 random bytes; shown once at creation, masked afterwards.
  secret            text NOT NULL CHECK (secret LIKE 'whsec\_%'),
  status            text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
  disabled_reason   text NULL CHECK (length(disabled_reason) <= 500),
  -- Failed attempts since the last success, and when that run of failures began (disabling looks at both).
  failure_count     integer NOT NULL DEFAULT 0 CHECK (failure_count >= 0),
  first_failure_at  timestamptz NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, id);
ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_endpoints
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

CREATE TABLE webhook_deliveries (
  -- Also the `webhook-id` header: the same on every retry, so receivers can de-duplicate.
  id                uuid PRIMARY KEY,
  tenant_id         uuid NOT NULL,
  endpoint_id       uuid NOT NULL,
  -- The outbox event delivered: one delivery per endpoint and event, however often the bus redelivers it.
  event_id          uuid NOT NULL,
  event_type        text NOT NULL,
  -- The Standard Webhooks body {type, timestamp, data}, fixed at fan-out so every retry sends the same bytes.
  payload           jsonb NOT NULL,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  last_status_code  integer NULL,
  last_error        text NULL CHECK (length(last_error) <= 2000),
  created_at        timestamptz NOT NULL DEFAULT now(),
  delivered_at      timestamptz NULL,
  UNIQUE (endpoint_id, event_id),
  FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id) ON DELETE CASCADE
);
-- The worker's claim: due pending deliveries across tenants.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id DESC);
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_deliveries
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

CREATE TABLE webhook_delivery_attempts (
  delivery_id       uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  tenant_id         uuid NOT NULL,
  attempt           integer NOT NULL CHECK (attempt > 0),
  at                timestamptz NOT NULL DEFAULT now(),
  status_code       integer NULL,
  error             text NULL CHECK (length(error) <= 2000),
  duration_ms       integer NOT NULL CHECK (duration_ms >= 0),
  PRIMARY KEY (delivery_id, attempt)
);
ALTER TABLE webhook_delivery_attempts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_delivery_attempts
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_endpoints, webhook_deliveries, webhook_delivery_attempts TO novapos_app;

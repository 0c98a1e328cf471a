-- Foundation: tenants, locations, registers, users and their access, platform operators, refresh tokens,
-- audit log, idempotency keys, outbox, processed events, platform settings.
--
-- Tenant isolation lives here, not only in handlers: every tenant table has row-level security keyed by the
-- transaction-local setting app.tenant_id (see tx.ts). Request handlers connect as novapos_app, to which RLS
-- applies; the table owner (migrations, relay, CLI) is not subject to it.

-- The role request handlers run as. Cluster-wide, so created once and shared by every NovaPOS database.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'novapos_app') THEN
    CREATE ROLE novapos_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  -- A non-superuser owner must be a member to SET ROLE novapos_app; a superuser may already.
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT novapos_app TO %I', current_user);
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO novapos_app;

CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- The tenant of the current transaction, or NULL outside a tenant transaction.
CREATE FUNCTION app_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

-- ---------------------------------------------------------------------------------------------------------
-- Tenants, locations, registers
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE tenants (
  id          uuid PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  currency    char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  timezone    text NOT NULL DEFAULT 'UTC',
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
  USING (id = (SELECT app_current_tenant())) WITH CHECK (id = (SELECT app_current_tenant()));

CREATE TABLE locations (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  code        text NULL CHECK (length(code) BETWEEN 1 AND 32),
  timezone    text NOT NULL DEFAULT 'UTC',
  archived_at timestamptz NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX locations_name_unique ON locations (tenant_id, lower(name));
CREATE UNIQUE INDEX locations_code_unique ON locations (tenant_id, code) WHERE code IS NOT NULL;
ALTER TABLE locations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON locations
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- A register is one till (the seeds' "POS instance").
CREATE TABLE registers (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  location_id uuid NOT NULL,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  archived_at timestamptz NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
  UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX registers_name_unique ON registers (location_id, lower(name));
ALTER TABLE registers ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON registers
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- ---------------------------------------------------------------------------------------------------------
-- Users of a tenant
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE users (
  id                        uuid PRIMARY KEY,
  tenant_id                 uuid NOT NULL REFERENCES tenants (id),
  email                     text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  display_name              text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  password_hash             text NULL,
  -- HMAC-SHA256(pepper, tenant_id || ':' || pin), hex: finds the cashier of a PIN without trying every hash.
  pin_lookup                text NULL,
  roles                     text[] NOT NULL CHECK (
                              cardinality(roles) >= 1
                              AND roles <@ ARRAY['owner', 'admin', 'manager', 'cashier']::text[]),
  active                    boolean NOT NULL DEFAULT true,
  failed_login_count        integer NOT NULL DEFAULT 0,
  failed_login_window_start timestamptz NULL,
  locked_until              timestamptz NULL,
  last_login_at             timestamptz NULL,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX users_email_unique ON users (tenant_id, lower(email));
CREATE UNIQUE INDEX users_pin_unique ON users (tenant_id, pin_lookup) WHERE pin_lookup IS NOT NULL;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- Location scope: a user with no rows here may work at every location of the tenant.
CREATE TABLE user_locations (
  tenant_id   uuid NOT NULL,
  user_id     uuid NOT NULL,
  location_id uuid NOT NULL,
  PRIMARY KEY (user_id, location_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
ALTER TABLE user_locations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_locations
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- ---------------------------------------------------------------------------------------------------------
-- Platform operators (superadmin). Visible only outside any tenant transaction.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE platform_users (
  id                        uuid PRIMARY KEY,
  email                     text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  display_name              text NOT NULL,
  password_hash             text NOT NULL,
  active                    boolean NOT NULL DEFAULT true,
  failed_login_count        integer NOT NULL DEFAULT 0,
  failed_login_window_start timestamptz NULL,
  locked_until              timestamptz NULL,
  last_login_at             timestamptz NULL,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX platform_users_email_unique ON platform_users (lower(email));
ALTER TABLE platform_users ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON platform_users
  USING ((SELECT app_current_tenant()) IS NULL) WITH CHECK ((SELECT app_current_tenant()) IS NULL);

-- ---------------------------------------------------------------------------------------------------------
-- Refresh tokens: stored hashed, rotated on use, grouped in families (one family per login).
-- tenant_id is NULL for platform operators' sessions.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE refresh_tokens (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NULL REFERENCES tenants (id),
  subject_id   uuid NOT NULL,
  family_id    uuid NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  register_id  uuid NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz NULL,
  revoked_at   timestamptz NULL,
  revoke_reason text NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_subject ON refresh_tokens (subject_id) WHERE revoked_at IS NULL;
ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_platform ON refresh_tokens
  USING (tenant_id IS NOT DISTINCT FROM (SELECT app_current_tenant()))
  WITH CHECK (tenant_id IS NOT DISTINCT FROM (SELECT app_current_tenant()));

-- ---------------------------------------------------------------------------------------------------------
-- Audit: append-only, hash-chained. One chain per register for till events, one back-office chain per tenant,
-- one platform chain. The head row of a chain is the only lock its writers share.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE audit_chain_heads (
  chain_key  text PRIMARY KEY,
  tenant_id  uuid NULL,
  seq        bigint NOT NULL,
  head_hash  text NOT NULL
);
ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_platform ON audit_chain_heads
  USING (tenant_id IS NOT DISTINCT FROM (SELECT app_current_tenant()))
  WITH CHECK (tenant_id IS NOT DISTINCT FROM (SELECT app_current_tenant()));

CREATE TABLE audit_events (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NULL,
  chain_key   text NOT NULL,
  seq         bigint NOT NULL,
  occurred_at timestamptz NOT NULL,
  actor_type  text NOT NULL CHECK (actor_type IN ('user', 'platform_user', 'system', 'anonymous')),
  actor_id    uuid NULL,
  action      text NOT NULL,
  entity_type text NOT NULL,
  entity_id   text NULL,
  request_id  text NULL,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash   text NOT NULL,
  hash        text NOT NULL,
  UNIQUE (chain_key, seq)
);
CREATE INDEX audit_events_tenant_time ON audit_events (tenant_id, occurred_at DESC, id DESC);
CREATE INDEX audit_events_tenant_actor ON audit_events (tenant_id, actor_id, occurred_at DESC);
CREATE INDEX audit_events_tenant_entity ON audit_events (tenant_id, entity_type, entity_id);
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_platform ON audit_events
  USING (tenant_id IS NOT DISTINCT FROM (SELECT app_current_tenant()))
  WITH CHECK (tenant_id IS NOT DISTINCT FROM (SELECT app_current_tenant()));

-- ---------------------------------------------------------------------------------------------------------
-- Idempotency keys (Stripe semantics), per tenant, kept at least 24 h.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE idempotency_keys (
  tenant_id        uuid NOT NULL,
  key              text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  method           text NOT NULL,
  path             text NOT NULL,
  fingerprint      text NOT NULL,
  status           text NOT NULL CHECK (status IN ('in_progress', 'completed')),
  response_status  integer NULL,
  response_headers jsonb NULL,
  response_body    text NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON idempotency_keys
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- ---------------------------------------------------------------------------------------------------------
-- Outbox: events written in the business transaction, published by the relay after commit.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE outbox (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NULL,
  topic        text NOT NULL,
  payload      jsonb NOT NULL,
  request_id   text NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz NULL,
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text NULL
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_platform ON outbox
  USING (tenant_id IS NOT DISTINCT FROM (SELECT app_current_tenant()))
  WITH CHECK (tenant_id IS NOT DISTINCT FROM (SELECT app_current_tenant()));

-- Consumers record the events they have handled, in their own transaction: a redelivery changes nothing.
CREATE TABLE processed_events (
  consumer     text NOT NULL,
  event_id     uuid NOT NULL,
  tenant_id    uuid NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
ALTER TABLE processed_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_platform ON processed_events
  USING (tenant_id IS NOT DISTINCT FROM (SELECT app_current_tenant()))
  WITH CHECK (tenant_id IS NOT DISTINCT FROM (SELECT app_current_tenant()));

-- ---------------------------------------------------------------------------------------------------------
-- Platform settings (maintenance mode, …): readable everywhere, written only outside tenant transactions.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE platform_settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid NULL
);
ALTER TABLE platform_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON platform_settings FOR SELECT USING (true);
CREATE POLICY platform_writes ON platform_settings FOR ALL
  USING ((SELECT app_current_tenant()) IS NULL) WITH CHECK ((SELECT app_current_tenant()) IS NULL);

-- ---------------------------------------------------------------------------------------------------------
-- The only lookups that cross tenants, before a tenant is known. They return ids, nothing else.
-- ---------------------------------------------------------------------------------------------------------
CREATE FUNCTION auth_login_candidates(p_email text)
  RETURNS TABLE (kind text, tenant_id uuid, subject_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT 'user', u.tenant_id, u.id FROM users u
      JOIN tenants t ON t.id = u.tenant_id AND t.status = 'active'
      WHERE lower(u.email) = lower(p_email)
    UNION ALL
    SELECT 'platform_user', NULL::uuid, p.id FROM platform_users p WHERE lower(p.email) = lower(p_email)
  $$;

CREATE FUNCTION auth_refresh_token_tenant(p_token_hash text)
  RETURNS TABLE (tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT r.tenant_id FROM refresh_tokens r WHERE r.token_hash = p_token_hash $$;

CREATE FUNCTION auth_register_tenant(p_register_id uuid)
  RETURNS TABLE (tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT r.tenant_id FROM registers r JOIN tenants t ON t.id = r.tenant_id AND t.status = 'active'
      WHERE r.id = p_register_id AND r.archived_at IS NULL
  $$;

REVOKE ALL ON FUNCTION auth_login_candidates(text), auth_refresh_token_tenant(text), auth_register_tenant(uuid)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_login_candidates(text), auth_refresh_token_tenant(text), auth_register_tenant(uuid),
  app_current_tenant() TO novapos_app;

-- ---------------------------------------------------------------------------------------------------------
-- Privileges of the application role. The audit log is append-only for it: no UPDATE, no DELETE.
-- ---------------------------------------------------------------------------------------------------------
GRANT SELECT, INSERT, UPDATE, DELETE ON
  tenants, locations, registers, users, user_locations, platform_users, refresh_tokens,
  idempotency_keys, outbox, processed_events, platform_settings
  TO novapos_app;
GRANT SELECT, INSERT, UPDATE ON audit_chain_heads TO novapos_app;
GRANT SELECT, INSERT ON audit_events TO novapos_app;

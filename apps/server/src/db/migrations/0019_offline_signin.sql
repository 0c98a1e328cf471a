-- Offline sign-in at the till (issue 13 §2, PRODUCT.md C11 "an offline login grace window"; docs/pos.md "Offline
-- sign-in", threat model in docs/security.md).
--
-- 1. The tenant's grace window: how long after a PIN was last verified online a till may still accept it offline.
--    0 switches offline sign-in off (the server then hands no verifier to any till).
ALTER TABLE tenants ADD COLUMN offline_signin_grace_hours integer NOT NULL DEFAULT 12
  CONSTRAINT tenants_offline_signin_grace_hours_range CHECK (offline_signin_grace_hours BETWEEN 0 AND 168);

-- 2. Per user, a verifier of their PIN that a till can check without the server: PBKDF2-HMAC-SHA-256 of the PIN
--    (UTF-8) with a random 16-byte salt, 32 bytes. It can only be made where the PIN is seen (a PIN set or changed,
--    a successful PIN sign-in), so it is separate from `users.pin_lookup` (the server's peppered HMAC, which a till
--    must never hold). `pin_lookup` names the PIN the verifier was made for: once the user's PIN changes or is
--    removed the row no longer matches `users.pin_lookup` and is never served (the services also replace or delete
--    it in the same transaction). `verified_at`: when the server last saw this PIN succeed (set, or sign-in).
CREATE TABLE user_offline_pins (
  tenant_id   uuid NOT NULL,
  user_id     uuid NOT NULL,
  pin_lookup  text NOT NULL,
  salt        bytea NOT NULL CHECK (octet_length(salt) = 16),
  iterations  integer NOT NULL CHECK (iterations BETWEEN 100000 AND 100000000),
  hash        bytea NOT NULL CHECK (octet_length(hash) = 32),
  verified_at timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE user_offline_pins ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_offline_pins
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- 3. Offline sign-ins reported by tills when they reconnect: one row per sign-in, keyed by the till's own id for it,
--    so a report sent twice (a lost answer, two tabs) is recorded and audited once. `signed_in_at` is the till's
--    clock; `reported_at` the server's.
CREATE TABLE offline_signins (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  user_id      uuid NOT NULL,
  register_id  uuid NOT NULL,
  signed_in_at timestamptz NOT NULL,
  reported_at  timestamptz NOT NULL DEFAULT now(),
  reported_by  uuid NOT NULL,
  failed_attempts integer NOT NULL CHECK (failed_attempts BETWEEN 0 AND 1000000),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, register_id) REFERENCES registers (tenant_id, id),
  FOREIGN KEY (tenant_id, reported_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX offline_signins_register ON offline_signins (tenant_id, register_id, signed_in_at);
ALTER TABLE offline_signins ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON offline_signins
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

GRANT SELECT, INSERT, UPDATE, DELETE ON user_offline_pins TO novapos_app;
-- A record of what happened: the app writes it once and never changes it.
GRANT SELECT, INSERT ON offline_signins TO novapos_app;

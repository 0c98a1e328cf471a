-- Replay a person can trust (issue 13 §2, docs/pos.md "Replay"): each till device signs the sales it queues
-- offline with a key issued at set-up; the server keeps every offline sale it receives by (device, seq), so a
-- sale arriving twice is recognised by its content hash, a different sale claiming a used number is refused, and
-- numbers that never arrived (gaps) or sales refused and not yet resolved are shown on "Sales needing attention".

-- A till device of a register: its Ed25519 public key (raw, 32 bytes). Owner: pos.
CREATE TABLE register_devices (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  register_id uuid NOT NULL,
  public_key  bytea NOT NULL CHECK (octet_length(public_key) = 32),
  label       text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  created_by  uuid NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz NULL,
  FOREIGN KEY (tenant_id, register_id) REFERENCES registers (tenant_id, id),
  UNIQUE (tenant_id, id)
);
CREATE INDEX register_devices_register ON register_devices (tenant_id, register_id);
ALTER TABLE register_devices ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON register_devices
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- Every offline sale the server received with a valid signature, one row per (device, seq). Owner: orders.
-- `order_id` is the sale's client id (the order's id once accepted); `content_hash` the SHA-256 of
-- offlineSigningPayload(body). A refused sale keeps its code and diff until a person resolves it (accepted with a
-- resolution, or cancelled with a refund). A number a manager wrote off (a sale lost with the till's storage) has
-- no sale: no client id, hash or till time; if the sale turns up after all, it takes the row.
CREATE TABLE offline_sales (
  id                 uuid PRIMARY KEY,
  tenant_id          uuid NOT NULL REFERENCES tenants (id),
  register_id        uuid NOT NULL,
  device_id          uuid NOT NULL,
  seq                integer NOT NULL CHECK (seq >= 1),
  order_id           uuid NULL,
  content_hash       text NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  status             text NOT NULL CHECK (status IN ('accepted', 'refused', 'cancelled', 'written_off')),
  code               text NULL,
  diff               jsonb NULL,
  total_cents        bigint NULL,
  created_offline_at timestamptz NULL,
  received_at        timestamptz NOT NULL DEFAULT now(),
  resolved_at        timestamptz NULL,
  resolution         jsonb NULL,
  FOREIGN KEY (tenant_id, device_id) REFERENCES register_devices (tenant_id, id),
  UNIQUE (tenant_id, device_id, seq),
  CONSTRAINT offline_sales_sale_known CHECK (
    (status = 'written_off') = (order_id IS NULL AND content_hash IS NULL AND created_offline_at IS NULL))
);
CREATE INDEX offline_sales_refused ON offline_sales (tenant_id, received_at) WHERE status = 'refused';
ALTER TABLE offline_sales ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON offline_sales
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- The till's clock for a sale taken offline (created_at stays the server's), how a person resolved a refused
-- replay, and whether an external-terminal card taken offline awaits review.
ALTER TABLE orders
  ADD COLUMN created_offline_at timestamptz NULL,
  ADD COLUMN replay_resolution jsonb NULL,
  ADD COLUMN offline_card_review boolean NOT NULL DEFAULT false,
  ADD COLUMN offline_card_reviewed_at timestamptz NULL,
  ADD COLUMN offline_card_reviewed_by uuid NULL;
CREATE INDEX orders_offline_card_review ON orders (tenant_id, created_at)
  WHERE offline_card_review AND offline_card_reviewed_at IS NULL;

-- The tenant's policy for cards while a till is offline (docs/pos.md "Cards while offline"): refused by default.
ALTER TABLE tenants
  ADD COLUMN offline_card_mode text NOT NULL DEFAULT 'refuse' CHECK (offline_card_mode IN ('refuse', 'external_terminal')),
  ADD COLUMN offline_card_max_sale_cents bigint NOT NULL DEFAULT 0 CHECK (offline_card_max_sale_cents >= 0),
  ADD COLUMN offline_card_max_outage_cents bigint NOT NULL DEFAULT 0 CHECK (offline_card_max_outage_cents >= 0);

GRANT SELECT, INSERT, UPDATE ON register_devices, offline_sales TO novapos_app;

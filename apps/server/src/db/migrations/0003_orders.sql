-- Orders, their lines (each a snapshot of what was sold at what price and tax), tenders, and the per-register
-- counter that numbers completed orders without gaps.

CREATE TABLE orders (
  -- Client-generated (UUIDv7 from the till) or server-generated: a replayed sale finds its first copy by id.
  id                   uuid PRIMARY KEY,
  tenant_id            uuid NOT NULL REFERENCES tenants (id),
  location_id          uuid NOT NULL,
  register_id          uuid NOT NULL,
  -- Sequential per register, no gaps; set when the order completes.
  number               integer NULL,
  status               text NOT NULL CHECK (status IN ('open', 'completed', 'voided')),
  currency             char(3) NOT NULL,
  prices_include_tax   boolean NOT NULL,
  rounding             text NOT NULL CHECK (rounding IN ('half_up', 'truncate', 'bankers')),
  discount_bp          integer NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
  tax_rate_bps         integer NOT NULL CHECK (tax_rate_bps BETWEEN 0 AND 10000),
  tax_rate_source      text NOT NULL CHECK (tax_rate_source IN ('explicit', 'register', 'location', 'tenant', 'default')),
  subtotal_cents       bigint NOT NULL,
  discount_cents       bigint NOT NULL,
  tax_cents            bigint NOT NULL,
  total_cents          bigint NOT NULL,
  paid_cents           bigint NOT NULL DEFAULT 0,
  change_cents         bigint NOT NULL DEFAULT 0,
  cash_rounding_cents  bigint NOT NULL DEFAULT 0,
  note                 text NULL CHECK (length(note) <= 500),
  created_by           uuid NULL,
  completed_at         timestamptz NULL,
  voided_at            timestamptz NULL,
  voided_by            uuid NULL,
  void_reason          text NULL CHECK (length(void_reason) BETWEEN 1 AND 500),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
  FOREIGN KEY (tenant_id, register_id) REFERENCES registers (tenant_id, id),
  CHECK ((status = 'open') = (number IS NULL) OR status = 'voided')
);
CREATE UNIQUE INDEX orders_register_number ON orders (register_id, number) WHERE number IS NOT NULL;
CREATE INDEX orders_tenant_time ON orders (tenant_id, created_at DESC, id DESC);
CREATE INDEX orders_tenant_status ON orders (tenant_id, status, created_at DESC);
CREATE INDEX orders_location_time ON orders (location_id, created_at DESC);
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orders
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

CREATE TABLE order_lines (
  id                  uuid PRIMARY KEY,
  tenant_id           uuid NOT NULL,
  order_id            uuid NOT NULL,
  position            integer NOT NULL,
  variant_id          uuid NOT NULL,
  product_id          uuid NOT NULL,
  -- The price lock: what the line was sold as, whatever the catalog says later.
  sku                 text NOT NULL,
  name                text NOT NULL,
  quantity            integer NOT NULL CHECK (quantity > 0),
  unit_price_cents    bigint NOT NULL CHECK (unit_price_cents >= 0),
  tax_code            text NOT NULL,
  tax_rate_bps        integer NOT NULL,
  line_subtotal_cents bigint NOT NULL,
  line_discount_cents bigint NOT NULL,
  line_tax_cents      bigint NOT NULL,
  line_total_cents    bigint NOT NULL,
  UNIQUE (order_id, position),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, variant_id) REFERENCES product_variants (tenant_id, id)
);
ALTER TABLE order_lines ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON order_lines
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

CREATE TABLE order_tenders (
  id             uuid PRIMARY KEY,
  tenant_id      uuid NOT NULL,
  order_id       uuid NOT NULL,
  method         text NOT NULL CHECK (method IN ('cash', 'external_card')),
  tendered_cents bigint NOT NULL CHECK (tendered_cents > 0),
  applied_cents  bigint NOT NULL CHECK (applied_cents >= 0),
  change_cents   bigint NOT NULL DEFAULT 0 CHECK (change_cents >= 0),
  reference      text NULL CHECK (length(reference) <= 100),
  created_by     uuid NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  -- Change only ever comes from cash.
  CHECK (method = 'cash' OR change_cents = 0),
  CHECK (applied_cents + change_cents = tendered_cents),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX order_tenders_order ON order_tenders (order_id);
ALTER TABLE order_tenders ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON order_tenders
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- The last number given at each register. Taking the next number locks this row until the order's transaction
-- ends, so numbers are gapless: a rolled-back order gives its number back.
CREATE TABLE register_counters (
  register_id uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  last_number integer NOT NULL DEFAULT 0,
  FOREIGN KEY (tenant_id, register_id) REFERENCES registers (tenant_id, id)
);
ALTER TABLE register_counters ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON register_counters
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- Orders are never deleted by the application: voided, not removed.
GRANT SELECT, INSERT, UPDATE ON orders, order_lines, order_tenders, register_counters TO novapos_app;

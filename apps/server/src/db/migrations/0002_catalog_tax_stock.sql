-- Catalog (categories, products, variants, barcodes), tax-rate overrides, the stock ledger, and the tenant
-- settings that decide how money is rounded and how stock is policed.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- ---------------------------------------------------------------------------------------------------------
-- Tenant settings for money and stock. NULL money_rounding means "the server's MONEY_ROUNDING".
-- ---------------------------------------------------------------------------------------------------------
ALTER TABLE tenants
  ADD COLUMN prices_include_tax boolean NOT NULL DEFAULT false,
  ADD COLUMN money_rounding text NULL CHECK (money_rounding IN ('half_up', 'truncate', 'bankers')),
  ADD COLUMN cash_rounding_cents integer NULL CHECK (cash_rounding_cents BETWEEN 1 AND 100000),
  ADD COLUMN stock_policy text NOT NULL DEFAULT 'block' CHECK (stock_policy IN ('block', 'allow_negative'));

-- ---------------------------------------------------------------------------------------------------------
-- Catalog
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE categories (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  position    integer NOT NULL DEFAULT 0,
  archived_at timestamptz NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX categories_name_unique ON categories (tenant_id, lower(name));
ALTER TABLE categories ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON categories
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

CREATE TABLE products (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text NULL CHECK (length(description) <= 2000),
  category_id uuid NULL,
  archived_at timestamptz NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, category_id) REFERENCES categories (tenant_id, id)
);
CREATE INDEX products_category ON products (tenant_id, category_id);
-- Name search by similarity (pg_trgm); stays fast at a million products.
CREATE INDEX products_name_trgm ON products USING gin (lower(name) gin_trgm_ops);
ALTER TABLE products ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON products
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- What is sold: every product has at least one variant; each has its own SKU, price and tax code.
CREATE TABLE product_variants (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  product_id  uuid NOT NULL,
  sku         text NOT NULL CHECK (length(sku) BETWEEN 1 AND 64),
  name        text NULL CHECK (length(name) BETWEEN 1 AND 200),
  price_cents bigint NOT NULL CHECK (price_cents >= 0),
  tax_code    text NOT NULL DEFAULT 'STD' CHECK (tax_code IN ('STD', 'EXEMPT', 'ZERO', 'NONE')),
  archived_at timestamptz NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, sku),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
CREATE INDEX product_variants_product ON product_variants (product_id);
CREATE INDEX product_variants_sku_trgm ON product_variants USING gin (lower(sku) gin_trgm_ops);
ALTER TABLE product_variants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON product_variants
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- A barcode names exactly one variant of a tenant.
CREATE TABLE variant_barcodes (
  tenant_id  uuid NOT NULL,
  barcode    text NOT NULL CHECK (length(barcode) BETWEEN 1 AND 64),
  variant_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, barcode),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES product_variants (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX variant_barcodes_variant ON variant_barcodes (variant_id);
ALTER TABLE variant_barcodes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON variant_barcodes
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- ---------------------------------------------------------------------------------------------------------
-- Tax-rate overrides (seed 000): tenant-wide (both NULL), per location, or per register (the seeds' POS instance).
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE tax_rate_overrides (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  location_id uuid NULL,
  register_id uuid NULL,
  rate_bps    integer NOT NULL CHECK (rate_bps BETWEEN 0 AND 10000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  uuid NULL,
  CHECK (location_id IS NULL OR register_id IS NULL),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
  FOREIGN KEY (tenant_id, register_id) REFERENCES registers (tenant_id, id)
);
-- One override per scope (PostgreSQL 15: NULLs count as equal here).
CREATE UNIQUE INDEX tax_rate_overrides_scope ON tax_rate_overrides (tenant_id, location_id, register_id) NULLS NOT DISTINCT;
ALTER TABLE tax_rate_overrides ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tax_rate_overrides
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- ---------------------------------------------------------------------------------------------------------
-- Stock: a ledger of movements per variant and location. stock_levels.on_hand is derived from the ledger by a
-- trigger and by nothing else (the application role cannot write on_hand), so the two can never drift.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE stock_movements (
  id             uuid PRIMARY KEY,
  tenant_id      uuid NOT NULL,
  variant_id     uuid NOT NULL,
  location_id    uuid NOT NULL,
  delta          integer NOT NULL CHECK (delta <> 0),
  reason         text NOT NULL CHECK (reason IN
                   ('sale', 'void', 'return', 'adjustment', 'receipt', 'count', 'transfer_in', 'transfer_out',
                    'damage', 'initial')),
  reference_type text NULL CHECK (length(reference_type) <= 40),
  reference_id   uuid NULL,
  note           text NULL CHECK (length(note) <= 500),
  actor_id       uuid NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES product_variants (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX stock_movements_variant_location ON stock_movements (variant_id, location_id, created_at);
CREATE INDEX stock_movements_reference ON stock_movements (reference_type, reference_id) WHERE reference_id IS NOT NULL;
ALTER TABLE stock_movements ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON stock_movements
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

CREATE TABLE stock_levels (
  tenant_id           uuid NOT NULL,
  variant_id          uuid NOT NULL,
  location_id         uuid NOT NULL,
  on_hand             integer NOT NULL DEFAULT 0,
  low_stock_threshold integer NULL CHECK (low_stock_threshold >= 0),
  -- Set while on_hand <= threshold, so inventory.low_stock is raised once per crossing, not on every sale.
  below_threshold     boolean NOT NULL DEFAULT false,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (variant_id, location_id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES product_variants (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id)
);
CREATE INDEX stock_levels_location ON stock_levels (tenant_id, location_id);
ALTER TABLE stock_levels ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON stock_levels
  USING (tenant_id = (SELECT app_current_tenant())) WITH CHECK (tenant_id = (SELECT app_current_tenant()));

-- Runs as the owner (SECURITY DEFINER): the only writer of on_hand.
CREATE FUNCTION stock_apply_movement() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  BEGIN
    INSERT INTO stock_levels AS l (tenant_id, variant_id, location_id, on_hand)
      VALUES (NEW.tenant_id, NEW.variant_id, NEW.location_id, NEW.delta)
      ON CONFLICT (variant_id, location_id)
      DO UPDATE SET on_hand = l.on_hand + NEW.delta, updated_at = now();
    RETURN NULL;
  END $$;
CREATE TRIGGER stock_movements_apply AFTER INSERT ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION stock_apply_movement();

-- ---------------------------------------------------------------------------------------------------------
-- Privileges of the application role. Stock movements are append-only; on_hand is the trigger's alone.
-- ---------------------------------------------------------------------------------------------------------
GRANT SELECT, INSERT, UPDATE, DELETE ON categories, products, product_variants, variant_barcodes, tax_rate_overrides
  TO novapos_app;
GRANT SELECT, INSERT ON stock_movements TO novapos_app;
-- INSERT makes a level row to hold a threshold before any movement; UPDATE of these two columns also allows the
-- row locks (SELECT … FOR UPDATE) that serialise concurrent sales of one item.
GRANT SELECT, INSERT (tenant_id, variant_id, location_id, low_stock_threshold) ON stock_levels TO novapos_app;
GRANT UPDATE (low_stock_threshold, below_threshold, updated_at) ON stock_levels TO novapos_app;

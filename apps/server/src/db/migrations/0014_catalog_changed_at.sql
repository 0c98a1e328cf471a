-- The till's delta feed (GET /v1/catalog/changes, docs/catalog.md "Delta feed") walks an index instead of scanning
-- every variant, and sees barcode-only changes (issue 6).
--
-- Until now the feed computed GREATEST(v.updated_at, p.updated_at) for every variant joined to its product and
-- sorted that: a full scan of product_variants on every poll of every till (every 15 s), and a barcode added or
-- removed without a variant update never showed. Now each variant carries `catalog_changed_at`, the time of the last
-- change of anything the feed shows of it, kept true by triggers (so no write path can forget it):
--   * product_variants: every insert and update stamps the row itself (BEFORE trigger);
--   * products: a change of name, category or archive state touches that product's variants;
--   * variant_barcodes: inserting, deleting or moving barcodes touches their variants (once per statement).
-- Categories get the same column and stamp; the feed sends those changed since the cursor's time.
--
-- The clock. The stamp is clock_timestamp() at the moment of the write, not now() (the transaction's start), and
-- every stamping transaction holds a shared advisory lock on its tenant's feed key until it ends. A feed request
-- that gets that key exclusively (pg_try_advisory_xact_lock, never waiting) knows that no stamping transaction of
-- the tenant is in flight: every row stamped before its clock reading is committed and visible, and every later
-- writer stamps after it (it waits for the key). Its horizon is exact. When a writer is in flight, the request falls
-- back to now() − 30 s; the feed never hands out a cursor beyond its horizon (catalog-changes.ts).

ALTER TABLE product_variants ADD COLUMN catalog_changed_at timestamptz;
ALTER TABLE categories ADD COLUMN catalog_changed_at timestamptz;

-- Existing rows keep the feed's old key, so the cursors tills hold today stay valid and nothing is sent twice.
UPDATE product_variants v SET catalog_changed_at = GREATEST(v.updated_at, p.updated_at)
  FROM products p WHERE p.id = v.product_id;
UPDATE categories SET catalog_changed_at = updated_at;

ALTER TABLE product_variants ALTER COLUMN catalog_changed_at SET NOT NULL;
ALTER TABLE categories ALTER COLUMN catalog_changed_at SET NOT NULL;

-- tenant_id first: the row-level security condition is then part of the index range, so a poll reads only its own
-- tenant's changes after the cursor.
CREATE INDEX product_variants_catalog_changed ON product_variants (tenant_id, catalog_changed_at, id);

-- The advisory key of a tenant's catalog feed (two-int form: the first int names the feed, so it cannot collide
-- with the one-bigint keys of migrations and backups).
CREATE FUNCTION catalog_feed_lock_key(p_tenant uuid) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT hashtext(p_tenant::text) $$;

CREATE FUNCTION catalog_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Held until this transaction ends; shared, so writers never wait for each other, only for a feed request's
  -- few milliseconds of exclusive hold. Taken before the clock is read.
  PERFORM pg_advisory_xact_lock_shared(hashtext('novapos.catalog_feed'), catalog_feed_lock_key(NEW.tenant_id));
  NEW.catalog_changed_at := clock_timestamp();
  RETURN NEW;
END $$;

CREATE TRIGGER product_variants_catalog_stamp BEFORE INSERT OR UPDATE ON product_variants
  FOR EACH ROW EXECUTE FUNCTION catalog_stamp();
CREATE TRIGGER categories_catalog_stamp BEFORE INSERT OR UPDATE ON categories
  FOR EACH ROW EXECUTE FUNCTION catalog_stamp();

-- What the feed shows of a product: its name (in every variant's name), its category and whether it is archived.
CREATE FUNCTION catalog_touch_product_variants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The variants' BEFORE trigger sets the stamp; assigning the column only makes this an update.
  UPDATE product_variants SET catalog_changed_at = clock_timestamp() WHERE product_id = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER products_catalog_touch AFTER UPDATE ON products
  FOR EACH ROW
  WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.category_id IS DISTINCT FROM NEW.category_id
        OR OLD.archived_at IS DISTINCT FROM NEW.archived_at)
  EXECUTE FUNCTION catalog_touch_product_variants();

-- Barcodes: one touch per variant and statement, however many of its barcodes the statement wrote (replacing 20
-- barcodes is a delete and an insert: two touches, not 40).
CREATE FUNCTION catalog_touch_barcode_variants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE product_variants SET catalog_changed_at = clock_timestamp()
     WHERE id IN (SELECT DISTINCT variant_id FROM new_rows);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE product_variants SET catalog_changed_at = clock_timestamp()
     WHERE id IN (SELECT DISTINCT variant_id FROM old_rows);
  ELSE
    UPDATE product_variants SET catalog_changed_at = clock_timestamp()
     WHERE id IN (SELECT variant_id FROM new_rows UNION SELECT variant_id FROM old_rows);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER variant_barcodes_catalog_touch_insert AFTER INSERT ON variant_barcodes
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_touch_barcode_variants();
CREATE TRIGGER variant_barcodes_catalog_touch_delete AFTER DELETE ON variant_barcodes
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_touch_barcode_variants();
CREATE TRIGGER variant_barcodes_catalog_touch_update AFTER UPDATE ON variant_barcodes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_touch_barcode_variants();

-- Issue 5: servers keep what prices a sale (variants, products, tax-rate overrides, money settings, registers and
-- locations) in memory, and PostgreSQL tells them when it changes: each write to those tables notifies channel
-- `novapos_pricing` with the tenant's id (platform/db/change-feed.ts). Notifications are sent at commit, and the
-- same payload is sent once per transaction however many rows change, so a CSV import costs one per tenant.

CREATE FUNCTION notify_pricing_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
BEGIN
  -- TG_ARGV[0] names the tenant column: `tenant_id`, or `id` on tenants itself.
  PERFORM pg_notify('novapos_pricing', changed ->> TG_ARGV[0]);
  RETURN NULL;
END $$;

CREATE TRIGGER product_variants_pricing_changed AFTER INSERT OR UPDATE OR DELETE ON product_variants
  FOR EACH ROW EXECUTE FUNCTION notify_pricing_changed('tenant_id');
CREATE TRIGGER products_pricing_changed AFTER INSERT OR UPDATE OR DELETE ON products
  FOR EACH ROW EXECUTE FUNCTION notify_pricing_changed('tenant_id');
CREATE TRIGGER tax_rate_overrides_pricing_changed AFTER INSERT OR UPDATE OR DELETE ON tax_rate_overrides
  FOR EACH ROW EXECUTE FUNCTION notify_pricing_changed('tenant_id');
CREATE TRIGGER registers_pricing_changed AFTER INSERT OR UPDATE OR DELETE ON registers
  FOR EACH ROW EXECUTE FUNCTION notify_pricing_changed('tenant_id');
CREATE TRIGGER locations_pricing_changed AFTER INSERT OR UPDATE OR DELETE ON locations
  FOR EACH ROW EXECUTE FUNCTION notify_pricing_changed('tenant_id');
CREATE TRIGGER tenants_pricing_changed AFTER UPDATE OR DELETE ON tenants
  FOR EACH ROW EXECUTE FUNCTION notify_pricing_changed('id');

-- Order ids are scoped to their tenant. The till makes them (UUIDv7) and a replayed sale finds its first copy by
-- id; with a primary key on `id` alone, another tenant's id could not be used and its refusal told that the id
-- exists elsewhere (an existence oracle across tenants, docs/orders.md). With `(tenant_id, id)` every tenant has
-- its own namespace: a replay within the tenant still meets `orders_pkey`, another tenant's id is simply free.
-- The foreign keys already name `(tenant_id, order_id)`; they move from the unique constraint to the new key.
ALTER TABLE order_lines DROP CONSTRAINT order_lines_tenant_id_order_id_fkey;
ALTER TABLE order_tenders DROP CONSTRAINT order_tenders_tenant_id_order_id_fkey;
ALTER TABLE payment_intents DROP CONSTRAINT payment_intents_tenant_id_order_id_fkey;
ALTER TABLE orders DROP CONSTRAINT orders_tenant_id_id_key;
ALTER TABLE orders DROP CONSTRAINT orders_pkey;
ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY (tenant_id, id);
ALTER TABLE order_lines
  ADD CONSTRAINT order_lines_tenant_id_order_id_fkey FOREIGN KEY (tenant_id, order_id)
  REFERENCES orders (tenant_id, id) ON DELETE CASCADE;
ALTER TABLE order_tenders
  ADD CONSTRAINT order_tenders_tenant_id_order_id_fkey FOREIGN KEY (tenant_id, order_id)
  REFERENCES orders (tenant_id, id) ON DELETE CASCADE;
ALTER TABLE payment_intents
  ADD CONSTRAINT payment_intents_tenant_id_order_id_fkey FOREIGN KEY (tenant_id, order_id)
  REFERENCES orders (tenant_id, id);
-- A line's position is unique within its order, which is unique within its tenant.
ALTER TABLE order_lines DROP CONSTRAINT order_lines_order_id_position_key;
ALTER TABLE order_lines ADD CONSTRAINT order_lines_order_position UNIQUE (tenant_id, order_id, position);

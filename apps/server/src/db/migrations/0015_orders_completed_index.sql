-- The back office's sales figures (reports: today's sales, sales by hour; docs/reports.md) select a tenant's orders
-- by when they completed. No index led with completed_at, so each dashboard load read every order of every tenant:
-- with 300,000 orders in each of two tenants, a day's totals took 412 ms (a parallel sequential scan reading 17,000
-- pages) and 0.5 ms with this index (52 pages), measured with EXPLAIN (ANALYZE, BUFFERS) as novapos_app under
-- row-level security. Tenant first, so the row-level security condition bounds the range. Open orders have no
-- completed_at and stay out of it; a completed sale adds one entry.
CREATE INDEX orders_tenant_completed ON orders (tenant_id, completed_at) WHERE completed_at IS NOT NULL;

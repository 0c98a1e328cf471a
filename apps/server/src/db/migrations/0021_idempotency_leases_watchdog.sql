-- A claimed Idempotency-Key is held by a lease, not for the key's whole life (issue 13, defect 6). Before, a key
-- claimed `in_progress` by a request whose process (or database) died stayed claimed until it expired, 24 hours
-- later, and every retry was 409 `idempotency_key_in_use`: a till could never finish its queued sale.
--
-- `lease_until`: the running request's process renews it every few seconds (IDEMPOTENCY_LEASE_SECONDS); once it
-- has passed, the same request may take the key over and run again (orders carry client ids, so a sale that was
-- committed is answered as the first order). `holder`: the claim that holds the key, so that a request that lost
-- its lease never stores its answer over the new holder's, nor releases the new holder's key.
--
-- Existing rows take the migration's time as their lease (a constant default is evaluated once, for every row):
-- every key left `in_progress` by a process that died before this migration is free again at once. Completed keys
-- do not look at their lease.
ALTER TABLE idempotency_keys
  ADD COLUMN lease_until timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN holder uuid NULL;

-- The stuck-order watchdog (monitoring.stuck_orders, and the `orders_stuck` gauge read at each scrape) looks for
-- few rows among many: sales whose request died (keys still `in_progress`) and orders left open with money taken.
CREATE INDEX idempotency_keys_in_progress ON idempotency_keys (lease_until) WHERE status = 'in_progress';
CREATE INDEX orders_open_paid ON orders (created_at) WHERE status = 'open' AND paid_cents > 0;

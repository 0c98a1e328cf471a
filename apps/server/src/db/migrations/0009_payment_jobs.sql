-- Scheduled jobs (issue 4 §4): a claim per job and slot, so several servers or workers never run one slot twice;
-- the nightly settlement reconciliation's results; and the lookup of an intent by the processor's reference
-- (processor webhooks, reconciliation).

CREATE TABLE job_runs (
  job           text NOT NULL CHECK (length(job) BETWEEN 1 AND 100),
  scheduled_for timestamptz NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz NULL,
  status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
  error         text NULL CHECK (length(error) <= 1000),
  worker        text NOT NULL CHECK (length(worker) BETWEEN 1 AND 200),
  PRIMARY KEY (job, scheduled_for)
);
CREATE INDEX job_runs_started ON job_runs (started_at);
ALTER TABLE job_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON job_runs
  USING ((SELECT app_current_tenant()) IS NULL) WITH CHECK ((SELECT app_current_tenant()) IS NULL);
GRANT SELECT, INSERT, UPDATE, DELETE ON job_runs TO novapos_app;

-- One row per settlement day (UTC), replaced by every run of that day. `details` holds every line with its
-- tenant (NULL for a processor line we cannot attribute), so a tenant sees only its own.
CREATE TABLE reconciliation_runs (
  date     date PRIMARY KEY,
  run_at   timestamptz NOT NULL DEFAULT now(),
  matched  integer NOT NULL CHECK (matched >= 0),
  drift    integer NOT NULL CHECK (drift >= 0),
  details  jsonb NOT NULL
);
ALTER TABLE reconciliation_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON reconciliation_runs
  USING ((SELECT app_current_tenant()) IS NULL) WITH CHECK ((SELECT app_current_tenant()) IS NULL);
GRANT SELECT ON reconciliation_runs TO novapos_app;

CREATE INDEX payment_intents_provider_ref ON payment_intents (provider_ref) WHERE provider_ref IS NOT NULL;
CREATE INDEX payment_intents_captured_at ON payment_intents (captured_at) WHERE captured_at IS NOT NULL;
CREATE INDEX payment_refunds_created_at ON payment_refunds (created_at);

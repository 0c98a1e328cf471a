-- Backups (issue 7): one row per pg_dump run. A platform table (no tenant, no row-level security); only the system
-- pool (the owner) reads and writes it. Its rows are excluded from the dumps themselves: after a restore the table
-- is rebuilt from the manifests beside the dump files (BACKUP_DIR/*.json), so restoring an old dump never forgets
-- the backups made after it.
CREATE TABLE backups (
  id           uuid PRIMARY KEY,
  file_name    text NOT NULL UNIQUE CHECK (file_name ~ '^[A-Za-z0-9._-]{1,200}$'),
  status       text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  trigger      text NOT NULL CHECK (trigger IN ('api', 'cli', 'schedule')),
  encrypted    boolean NOT NULL,
  size_bytes   bigint NULL,
  sha256       text NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  error        text NULL CHECK (length(error) <= 1000),
  server_version text NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz NULL
);

CREATE INDEX backups_succeeded ON backups (finished_at DESC) WHERE status = 'succeeded';

-- Like job_runs: a platform table. The request role gets no grant at all (only the owner touches backups), and
-- row-level security is on so that a grant added later by mistake still shows no row inside a tenant.
ALTER TABLE backups ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON backups
  USING ((SELECT app_current_tenant()) IS NULL) WITH CHECK ((SELECT app_current_tenant()) IS NULL);

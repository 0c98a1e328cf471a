-- One job queue (issue 12 §4, docs/jobs.md). The jobs live in graphile-worker's own schema, `graphile_worker`,
-- which the server installs at start (the queue's migrations, not ours). Scheduled jobs are claimed per slot by
-- the queue's cron (`known_crontabs`), so our slot table goes.
DROP TABLE job_runs;

-- Work that tenant transactions write (webhook deliveries, incoming processor events) is enqueued by these
-- triggers in the same transaction: the row says what is due and when (`next_attempt_at`), the job mirrors it,
-- keyed `<task>:<row id>` so a new due time replaces the waiting job. They run as the owner (SECURITY DEFINER),
-- so novapos_app needs no right in the queue's schema. Before the queue's schema exists (a fresh test database)
-- there is nowhere to enqueue; a queue enqueues the waiting rows itself when it starts (TaskDefinition.recover).
CREATE FUNCTION enqueue_row_job() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$
  BEGIN
    IF to_regnamespace('graphile_worker') IS NULL THEN
      RETURN NULL;
    END IF;
    PERFORM graphile_worker.add_job(TG_ARGV[0], json_build_object('id', NEW.id), run_at => NEW.next_attempt_at,
      job_key => TG_ARGV[0] || ':' || NEW.id, job_key_mode => 'replace');
    RETURN NULL;
  END $$;
REVOKE ALL ON FUNCTION enqueue_row_job() FROM PUBLIC;

-- Outgoing webhooks: a new pending delivery, and each retry the delivery job schedules.
CREATE TRIGGER webhook_deliveries_enqueue AFTER INSERT ON webhook_deliveries
  FOR EACH ROW WHEN (NEW.status = 'pending') EXECUTE FUNCTION enqueue_row_job('hooks.deliver');
CREATE TRIGGER webhook_deliveries_reschedule AFTER UPDATE OF next_attempt_at ON webhook_deliveries
  FOR EACH ROW WHEN (NEW.status = 'pending' AND NEW.next_attempt_at IS DISTINCT FROM OLD.next_attempt_at)
  EXECUTE FUNCTION enqueue_row_job('hooks.deliver');

-- Incoming processor events: a stored event, a retry after a failed handler, and an operator's replay.
CREATE TRIGGER webhook_events_enqueue AFTER INSERT ON webhook_events
  FOR EACH ROW WHEN (NEW.status = 'received') EXECUTE FUNCTION enqueue_row_job('webhooks.process');
CREATE TRIGGER webhook_events_reschedule AFTER UPDATE OF status, next_attempt_at ON webhook_events
  FOR EACH ROW WHEN (NEW.status = 'received' AND (OLD.status IS DISTINCT FROM 'received'
                     OR NEW.next_attempt_at IS DISTINCT FROM OLD.next_attempt_at))
  EXECUTE FUNCTION enqueue_row_job('webhooks.process');

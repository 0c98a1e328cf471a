import type { Queryable } from '../db/database.ts';

// The queue's schema is graphile-worker's: this file reads its public view `graphile_worker.jobs` and calls its
// public functions (add_job, reschedule_jobs). The one private table read is its task list (`_private_tasks`), so
// that a queue with no jobs still reports zeros to Prometheus.

/** Where a job stands: due and waiting, due later, running, or dead (its attempts ran out). */
export type JobState = 'waiting' | 'scheduled' | 'running' | 'failed';

export interface JobRow {
  id: string;
  queue: string;
  state: JobState;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  key: string | null;
  run_at: Date;
  created_at: Date;
  updated_at: Date;
}

const STATE_SQL = `CASE WHEN j.locked_at IS NOT NULL AND j.locked_at > now() - interval '4 hours' THEN 'running'
       WHEN j.attempts >= j.max_attempts THEN 'failed'
       WHEN j.run_at > now() THEN 'scheduled'
       ELSE 'waiting' END`;

/** True once the queue's schema is installed in this database (a fresh test database has none). */
export async function jobSchemaInstalled(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(`SELECT to_regclass('graphile_worker.jobs') IS NOT NULL AS ok`);
  return rows[0]?.ok === true;
}

/**
 * Adds one job per `items` entry for `task`, keyed `task:id` so that adding it again while it waits changes
 * nothing (its run_at is kept); the payload is `{ id }`. For work a table already holds (TaskDefinition.recover).
 */
export async function addKeyedJobs(
  db: Queryable,
  task: string,
  items: readonly { id: string; runAt: Date }[],
): Promise<number> {
  if (items.length === 0) return 0;
  const { rowCount } = await db.query(
    `SELECT graphile_worker.add_job($1, json_build_object('id', x.id), run_at => x.run_at,
            job_key => $1 || ':' || x.id, job_key_mode => 'preserve_run_at')
       FROM unnest($2::text[], $3::timestamptz[]) AS x(id, run_at)`,
    [task, items.map((i) => i.id), items.map((i) => i.runAt)],
  );
  return rowCount ?? 0;
}

/** Jobs of `tasks` that are due (or running) and not dead: what a drain waits for. */
export async function busyJobs(db: Queryable, tasks: readonly string[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM graphile_worker.jobs
      WHERE task_identifier = ANY($1::text[]) AND attempts < max_attempts
        AND (run_at <= now() OR locked_at IS NOT NULL)`,
    [tasks],
  );
  return rows[0]?.n ?? 0;
}

/** Jobs newest first, filtered by state and queue; fetches `limit + 1` rows for toPage. */
export async function listJobs(
  db: Queryable,
  f: { state: JobState | undefined; queue: string | undefined; before: string | null; limit: number },
): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(
    `SELECT * FROM (
       SELECT j.id::text AS id, j.task_identifier AS queue, ${STATE_SQL} AS state, j.attempts, j.max_attempts,
              j.last_error, j.key, j.run_at, j.created_at, j.updated_at
         FROM graphile_worker.jobs j
        WHERE ($3::bigint IS NULL OR j.id < $3::bigint) AND ($2::text IS NULL OR j.task_identifier = $2)) s
      WHERE $1::text IS NULL OR s.state = $1
      ORDER BY s.id::bigint DESC LIMIT $4`,
    [f.state ?? null, f.queue ?? null, f.before, f.limit + 1],
  );
  return rows;
}

/** One job, or undefined. */
export async function findJob(db: Queryable, id: string): Promise<JobRow | undefined> {
  const { rows } = await db.query<JobRow>(
    `SELECT j.id::text AS id, j.task_identifier AS queue, ${STATE_SQL} AS state, j.attempts, j.max_attempts,
            j.last_error, j.key, j.run_at, j.created_at, j.updated_at
       FROM graphile_worker.jobs j WHERE j.id = $1::bigint`,
    [id],
  );
  return rows[0];
}

/** Makes a dead job due now with its attempts reset; false when it is not dead (or was taken meanwhile). */
export async function retryDeadJob(db: Queryable, id: string): Promise<boolean> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT r.id::text AS id FROM graphile_worker.jobs j,
            LATERAL graphile_worker.reschedule_jobs(ARRAY[j.id], run_at => now(), attempts => 0) r
      WHERE j.id = $1::bigint AND j.attempts >= j.max_attempts AND j.locked_at IS NULL`,
    [id],
  );
  return rows.length === 1;
}

export interface QueueFigures {
  queue: string;
  state: JobState;
  jobs: number;
  /** Seconds since the oldest job in this state fell due (0 when there is none). */
  oldest_seconds: number;
}

/** Jobs per queue and state, with every known queue and state present (zero when empty), for the gauges. */
export async function queueFigures(db: Queryable): Promise<QueueFigures[]> {
  const { rows } = await db.query<QueueFigures>(
    `WITH j AS (SELECT j.task_identifier AS queue, ${STATE_SQL} AS state, j.run_at FROM graphile_worker.jobs j)
     SELECT t.identifier AS queue, s.state, count(j.queue)::int AS jobs,
            COALESCE(GREATEST(0, extract(epoch FROM now() - min(j.run_at))), 0)::float8 AS oldest_seconds
       FROM graphile_worker._private_tasks t
            CROSS JOIN unnest(ARRAY['waiting', 'scheduled', 'running', 'failed']) AS s(state)
            LEFT JOIN j ON j.queue = t.identifier AND j.state = s.state
      GROUP BY t.identifier, s.state`,
  );
  return rows;
}

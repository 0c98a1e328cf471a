import type { Queryable } from '../db/database.ts';

/**
 * Claims one slot of a job: only the first worker to insert (job, scheduled_for) gets `true` and runs it. The
 * primary key decides, so two workers ticking the same slot at the same instant never both run it.
 */
export async function claimJobRun(db: Queryable, job: string, scheduledFor: Date, worker: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO job_runs (job, scheduled_for, worker) VALUES ($1, $2, $3)
     ON CONFLICT (job, scheduled_for) DO NOTHING RETURNING job`,
    [job, scheduledFor, worker],
  );
  return rowCount === 1;
}

/** Records how a claimed run ended. */
export async function finishJobRun(
  db: Queryable,
  job: string,
  scheduledFor: Date,
  outcome: { status: 'succeeded' | 'failed'; error?: string },
): Promise<void> {
  await db.query(
    `UPDATE job_runs SET status = $3, error = $4, finished_at = now() WHERE job = $1 AND scheduled_for = $2`,
    [job, scheduledFor, outcome.status, outcome.error?.slice(0, 1000) ?? null],
  );
}

/** Forgets runs older than `days` (a minutely job writes 1440 rows a day). */
export async function pruneJobRuns(db: Queryable, days: number): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM job_runs WHERE started_at < now() - make_interval(days => $1)`, [
    days,
  ]);
  return rowCount ?? 0;
}

import {
  Logger as WorkerLogger,
  parseCronItems,
  run,
  runMigrations,
  type Job,
  type ParsedCronItem,
  type Runner,
  type RunnerOptions,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Database } from '../db/database.ts';
import { jobMetrics, type JobMetrics } from './jobs.metrics.ts';
import { busyJobs } from './jobs.repo.ts';

/** What a running job knows about itself. */
export interface JobContext {
  readonly jobId: string;
  /** This attempt's number, from 1. */
  readonly attempt: number;
  readonly maxAttempts: number;
}

/**
 * A kind of job: enqueued with a job key by a database trigger or by `addKeyedJobs`, run by whichever process's
 * queue takes it. Throwing fails the attempt: the queue tries again after e^attempt seconds (2.7 s, 7.4 s, 20 s,
 * … at most 6 h); after 25 attempts (about three days) the job is dead, listed by GET /v1/ops/jobs?state=failed
 * and retried by an operator. Expected failures (a receiver answering 500) are the task's business, recorded on
 * its row and rescheduled by it; a throw is for the unexpected (the database unreachable).
 */
export interface TaskDefinition {
  /** `module.verb`, e.g. `hooks.deliver`; the `queue` label of the job metrics. */
  readonly name: string;
  run(payload: Record<string, unknown>, job: JobContext): Promise<void>;
  /**
   * Enqueues jobs for work the database holds but the queue does not (rows written before the queue was
   * installed); run when a queue starts and before a drain. Must be idempotent (use a job key).
   */
  recover?(): Promise<number>;
}

/**
 * A job on a cron schedule (UTC, five fields: minute precision). Each slot is enqueued once however many
 * processes run the queue (graphile-worker's `known_crontabs` is the claim), then runs in one of them. A slot
 * missed while no process ran is not replayed.
 */
export interface ScheduleDefinition {
  /** Unique name, e.g. `payments.auto_void`: the task and the crontab identifier. */
  readonly name: string;
  readonly schedule: string;
  /** Attempts of one slot before it is dead; default 1 (the next slot runs anyway). */
  readonly maxAttempts?: number;
  /** `scheduledFor` is the slot (e.g. 02:30 UTC), not the time the job started. */
  run(run: { scheduledFor: Date }): Promise<void>;
}

/** What one module contributes to the background: its tasks and its schedules. */
export interface BackgroundWork {
  readonly tasks?: readonly TaskDefinition[];
  readonly schedules?: readonly ScheduleDefinition[];
}

/** Jobs one process runs at once, unless told otherwise. */
const DEFAULT_CONCURRENCY = 4;

/** The schema graphile-worker creates and owns. */
export const JOB_SCHEMA = 'graphile_worker';

/** graphile-worker's log lines, through our logger: its info is start-up chatter, so it goes to debug. */
function workerLogger(logger: Pick<Logger, 'error' | 'warn' | 'debug'>): WorkerLogger {
  return new WorkerLogger(() => (level, message, meta) => {
    const fields = { component: 'jobs', ...meta };
    if (level === 'error') logger.error(fields, message);
    else if (level === 'warning') logger.warn(fields, message);
    else logger.debug(fields, message);
  });
}

/**
 * Creates or upgrades the queue's own schema (`graphile_worker`) with the owner's pool. Idempotent and quick
 * when current; several processes may call it at once (it takes an advisory lock). The app role needs nothing
 * in it: jobs are added and run on the system pool, and the triggers that enqueue from tenant transactions are
 * SECURITY DEFINER (migration 0017).
 */
export async function installJobSchema(db: Database, logger: Pick<Logger, 'error' | 'warn' | 'debug'>): Promise<void> {
  await runMigrations({ pgPool: db.system, logger: workerLogger(logger) });
}

/** Throws when `schedule` is not a five-field cron expression the queue can run. */
export function parseSchedule(name: string, schedule: string): ParsedCronItem {
  const [item] = parseCronItems([{ task: name, identifier: name, match: schedule, options: { backfillPeriod: 0 } }]);
  if (item === undefined) throw new Error(`schedule of ${name} did not parse`);
  return item;
}

export interface JobQueueOptions {
  readonly db: Database;
  readonly logger: Pick<Logger, 'error' | 'warn' | 'info' | 'debug'>;
  /** The process's metrics registry: `jobs_total` counts here. */
  readonly registry: Registry;
  readonly work: readonly BackgroundWork[];
  /** Run the schedules here too (false: `novapos serve` with JOBS_IN_SERVER=false). */
  readonly runSchedules?: boolean;
  /** Jobs run at once by this process; default 4. */
  readonly concurrency?: number;
  /** Polling for jobs that fall due (retries, run_at); new jobs arrive by LISTEN/NOTIFY. Default 2000 ms. */
  readonly pollMs?: number;
  /** Tests: how far back a fresh start enqueues missed slots (default 0: none). */
  readonly backfillMs?: number;
}

/**
 * The one job queue of a process: graphile-worker, as the database owner on a pool of its own, with every module's
 * tasks and schedules.
 * `start()` installs the schema, recovers jobs the database holds, and runs until `stop()`; `drain()` runs what
 * is due now and returns (tests, shutdown).
 */
export class JobQueue {
  private readonly o: JobQueueOptions;
  private readonly metrics: JobMetrics;
  private readonly tasks: TaskList;
  private readonly cron: ParsedCronItem[];
  private readonly events: WorkerEvents = new EventEmitter() as WorkerEvents;
  private readonly recoverers: (() => Promise<number>)[];
  private runner: { runner: Runner; pool: pg.Pool } | undefined;

  constructor(options: JobQueueOptions) {
    this.o = options;
    this.metrics = jobMetrics(options.registry);
    const tasks: TaskList = {};
    const cron: ParsedCronItem[] = [];
    this.recoverers = [];
    for (const work of options.work) {
      for (const task of work.tasks ?? []) {
        if (tasks[task.name] !== undefined) throw new Error(`two jobs are named ${task.name}`);
        tasks[task.name] = async (payload, helpers) => {
          await task.run((payload ?? {}) as Record<string, unknown>, {
            jobId: helpers.job.id,
            attempt: helpers.job.attempts,
            maxAttempts: helpers.job.max_attempts,
          });
        };
        if (task.recover !== undefined) this.recoverers.push(task.recover.bind(task));
      }
      // Without the schedules (serve with JOBS_IN_SERVER=false) this process neither enqueues nor runs their slots.
      for (const s of options.runSchedules === false ? [] : (work.schedules ?? [])) {
        if (tasks[s.name] !== undefined) throw new Error(`two jobs are named ${s.name}`);
        tasks[s.name] = async (payload) => {
          const ts = (payload as { _cron?: { ts?: string } } | null)?._cron?.ts;
          await s.run({ scheduledFor: ts === undefined ? new Date() : new Date(ts) });
        };
        const [item] = parseCronItems([
          {
            task: s.name,
            identifier: s.name,
            match: s.schedule,
            options: {
              backfillPeriod: options.backfillMs ?? 0,
              maxAttempts: s.maxAttempts ?? 1,
            },
          },
        ]);
        if (item !== undefined) cron.push(item);
      }
    }
    this.tasks = tasks;
    this.cron = cron;
    this.events.on('job:success', ({ job }: { job: Job }) => this.count(job, 'completed'));
    this.events.on('job:error', ({ job, error }: { job: Job; error: unknown }) => {
      const dead = job.attempts >= job.max_attempts;
      if (!dead) this.count(job, 'retried');
      this.o.logger[dead ? 'error' : 'warn'](
        { component: 'jobs', job: job.task_identifier, jobId: job.id, attempt: job.attempts, err: error },
        dead ? 'job failed for good; an operator can retry it' : 'job failed; the queue retries it',
      );
    });
    this.events.on('job:failed', ({ job }: { job: Job }) => this.count(job, 'failed'));
  }

  /** The names of the jobs this queue runs. */
  get taskNames(): string[] {
    return Object.keys(this.tasks);
  }

  private count(job: Job, outcome: 'completed' | 'retried' | 'failed'): void {
    this.metrics.total.inc({ queue: job.task_identifier, outcome });
  }

  /**
   * A pool of the queue's own, as the owner (the system pool's role): graphile-worker holds one connection for
   * LISTEN and needs others to fetch and complete jobs, which the small system pool cannot spare. The jobs
   * themselves use the app's pools.
   */
  private createPool(): pg.Pool {
    const pool = new pg.Pool({
      connectionString: this.o.db.system.options.connectionString,
      max: (this.o.concurrency ?? DEFAULT_CONCURRENCY) + 2,
      application_name: 'novapos-jobs',
    });
    const lost = (err: Error): void => {
      this.o.logger.warn({ component: 'jobs', err: err.message }, 'job queue connection lost');
    };
    pool.on('error', lost);
    pool.on('connect', (client) => client.on('error', lost));
    return pool;
  }

  private options(pool: pg.Pool): RunnerOptions {
    const concurrency = this.o.concurrency ?? DEFAULT_CONCURRENCY;
    return {
      pgPool: pool,
      logger: workerLogger(this.o.logger),
      taskList: this.tasks,
      concurrency,
      pollInterval: this.o.pollMs ?? 2000,
      noHandleSignals: true,
      events: this.events,
      // One fetch per process for its workers, and batched completions: far fewer idle queries (docs/jobs.md).
      preset: {
        worker: { localQueue: { size: concurrency + 1 }, completeJobBatchDelay: 0 },
      },
    };
  }

  /** Enqueues the jobs of work the database holds (see TaskDefinition.recover). */
  async recover(): Promise<number> {
    let n = 0;
    for (const recover of this.recoverers) n += await recover();
    return n;
  }

  /** Installs the schema, recovers, and runs jobs (and, unless told otherwise, the schedules) until stop(). */
  async start(): Promise<void> {
    if (this.runner !== undefined) return;
    await installJobSchema(this.o.db, this.o.logger);
    const recovered = await this.recover();
    if (recovered > 0) this.o.logger.info({ component: 'jobs', recovered }, 'jobs enqueued for waiting work');
    const pool = this.createPool();
    try {
      this.runner = { runner: await run({ ...this.options(pool), parsedCronItems: this.cron }), pool };
    } catch (err) {
      await pool.end();
      throw err;
    }
  }

  /** Stops taking jobs and waits for those in hand. */
  async stop(): Promise<void> {
    const running = this.runner;
    this.runner = undefined;
    if (running === undefined) return;
    await running.runner.stop();
    await running.pool.end();
  }

  /**
   * Runs every job of this queue's tasks that is due now (and those that fall due meanwhile), then returns when
   * none is due or running (tests and shutdown). A runner of its own, stopped gracefully, so every outcome is
   * written when this returns.
   */
  async drain(): Promise<void> {
    await installJobSchema(this.o.db, this.o.logger);
    await this.recover();
    const pool = this.createPool();
    try {
      const runner = await run({ ...this.options(pool), parsedCronItems: [] });
      try {
        while ((await busyJobs(pool, this.taskNames)) > 0) await new Promise((r) => setTimeout(r, 10));
      } finally {
        await runner.stop();
      }
    } finally {
      await pool.end();
    }
  }
}

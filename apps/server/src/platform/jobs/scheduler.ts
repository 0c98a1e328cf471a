import { Cron } from 'croner';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import { newId } from '../ids.ts';
import { claimJobRun, finishJobRun, pruneJobRuns } from './job-runs.repo.ts';

/** A job the scheduler runs on a cron schedule (UTC). */
export interface JobDefinition {
  /** Unique name, e.g. `payments.auto_void`; the claim key together with the slot. */
  readonly name: string;
  /** Cron expression (5 fields, or 6 with seconds), read in UTC. */
  readonly schedule: string;
  /** The work. `scheduledFor` is the slot being run (e.g. 02:30 UTC), not the time the tick noticed it. */
  run(run: { scheduledFor: Date }): Promise<void>;
}

export interface SchedulerOptions {
  readonly db: Database;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly jobs: readonly JobDefinition[];
  /** How often to look for due slots; default 10 s (schedules have minute precision). */
  readonly tickMs?: number;
  /** This process's name in `job_runs.worker`. */
  readonly worker?: string;
  /** Slots after this instant are due; default: when the scheduler is created (missed slots are not replayed). */
  readonly since?: Date;
  /** Days of `job_runs` history to keep. */
  readonly keepDays?: number;
}

/** Throws when `expression` is not a cron expression croner understands. */
export function parseSchedule(expression: string): Cron {
  return new Cron(expression, { timezone: 'UTC', paused: true });
}

/**
 * A tiny cron scheduler. Every process may run one (servers and `novapos worker`s alike): each tick, for each job,
 * it finds the latest slot that came due since the previous tick and claims it in `job_runs`; only the process
 * whose INSERT wins runs it. A process that dies mid-run leaves the slot `running` (it is not retried: the next
 * slot is). Runs never overlap within one process either: a job still running skips the next slot it sees.
 */
export class Scheduler {
  private readonly db: Database;
  private readonly logger: SchedulerOptions['logger'];
  private readonly jobs: readonly { def: JobDefinition; cron: Cron }[];
  private readonly tickMs: number;
  private readonly worker: string;
  private readonly keepDays: number;
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private lastTick: Date;
  private lastPrune = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: SchedulerOptions) {
    this.db = options.db;
    this.logger = options.logger;
    this.jobs = options.jobs.map((def) => ({ def, cron: parseSchedule(def.schedule) }));
    this.tickMs = options.tickMs ?? 10_000;
    this.worker = (options.worker ?? `${hostname()}:${process.pid}:${newId().slice(-8)}`).slice(0, 200);
    this.lastTick = options.since ?? new Date();
    this.keepDays = options.keepDays ?? 7;
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      const pass = this.tick().catch((err: unknown) => this.logger.warn({ err }, 'job scheduler tick failed'));
      this.track(pass);
    }, this.tickMs);
    this.timer.unref();
  }

  /** Stops ticking and waits for the runs in hand. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * One pass at `now`: claims and runs each job's latest slot in (previous tick, now]. Resolves when the runs it
   * started have finished, with the names of the jobs this process ran.
   */
  async tick(now: Date = new Date()): Promise<string[]> {
    const since = this.lastTick;
    if (now > this.lastTick) this.lastTick = now;
    const ran: string[] = [];
    await Promise.all(
      this.jobs.map(async ({ def, cron }) => {
        const slot = latestSlot(cron, since, now);
        if (slot === undefined || this.busy.has(def.name)) return;
        if (await this.runSlot(def, slot)) ran.push(def.name);
      }),
    );
    await this.prune();
    return ran;
  }

  /** Claims `slot` of `job` and runs it if the claim is ours; false when another worker has (or had) it. */
  async runSlot(def: JobDefinition, slot: Date): Promise<boolean> {
    if (!(await claimJobRun(this.db.system, def.name, slot, this.worker))) return false;
    this.busy.add(def.name);
    const run = (async () => {
      try {
        await def.run({ scheduledFor: slot });
        await finishJobRun(this.db.system, def.name, slot, { status: 'succeeded' });
      } catch (err) {
        this.logger.error({ err, job: def.name, slot: slot.toISOString() }, 'job failed');
        await finishJobRun(this.db.system, def.name, slot, { status: 'failed', error: (err as Error).message });
      } finally {
        this.busy.delete(def.name);
      }
    })();
    this.track(run);
    await run;
    return true;
  }

  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < 3_600_000) return;
    this.lastPrune = Date.now();
    await pruneJobRuns(this.db.system, this.keepDays);
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}

/** The last occurrence of `cron` after `since` and at or before `now`, if any. */
function latestSlot(cron: Cron, since: Date, now: Date): Date | undefined {
  let slot: Date | undefined;
  let next = cron.nextRun(since);
  // Bounded: after a long pause (a suspended laptop) only the latest missed slot runs.
  for (let i = 0; next !== null && next <= now && i < 100_000; i++) {
    slot = next;
    next = cron.nextRun(next);
  }
  return slot;
}

import pg from 'pg';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/harness.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { installJobSchema, JobQueue, listJobs, parseSchedule, type ScheduleDefinition } from './index.ts';
import { eventually } from '../../../test/timing.ts';

let database: TestDatabase;
let owner: pg.Client;
const silent = pino({ level: 'silent' });
const MINUTE = 60_000;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = new pg.Client({ connectionString: database.ownerUrl });
  await owner.connect();
  await installJobSchema(database.db, silent);
});
afterAll(async () => {
  await owner.end();
  await database.close();
});

const floorMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

/**
 * Pretends `name` last ran at `lastRun`, as graphile-worker's cron records it, so that a queue started with a
 * backfill window enqueues the slots since then at once instead of at the next minute.
 */
async function lastRanAt(name: string, lastRun: Date): Promise<void> {
  await owner.query(
    `INSERT INTO graphile_worker._private_known_crontabs (identifier, known_since, last_execution)
     VALUES ($1, $2::timestamptz - interval '1 hour', $2)`,
    [name, lastRun],
  );
}

function queue(schedules: ScheduleDefinition[], registry = new Registry()): JobQueue {
  return new JobQueue({
    db: database.db,
    logger: silent,
    registry,
    work: [{ schedules }],
    backfillMs: 5 * MINUTE,
    pollMs: 100,
  });
}

describe('scheduled jobs on the queue', () => {
  it('runs each slot once when two processes run the same schedule at the same time', async () => {
    const slots: string[] = [];
    const job: ScheduleDefinition = {
      name: 'test.counter',
      schedule: '* * * * *',
      run: async ({ scheduledFor }) => {
        slots.push(scheduledFor.toISOString());
        await new Promise((r) => setTimeout(r, 20));
      },
    };
    // Three slots fell due since the last run: the minute 2 and 1 minutes ago, and this one.
    const start = Date.now();
    await lastRanAt('test.counter', new Date(floorMinute(start) - 3 * MINUTE));
    const expected = [2, 1, 0].map((m) => new Date(floorMinute(start) - m * MINUTE).toISOString());
    const a = queue([job]);
    const b = queue([job]);
    await Promise.all([a.start(), b.start()]);
    try {
      await eventually(() => expect(slots.length).toBeGreaterThanOrEqual(3));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    // A minute boundary crossed during the test adds its own slot, also once.
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots.filter((s) => Date.parse(s) <= start).sort()).toEqual(expected);

    // The same slots seen again (a later start of a third process) do not run again.
    const before = slots.length;
    const c = queue([job]);
    await c.start();
    await c.drain();
    await c.stop();
    expect(slots.slice(before).filter((s) => expected.includes(s))).toEqual([]);
  });

  it('runs nothing before the first slot: a process that starts late does not replay missed slots', async () => {
    let runs = 0;
    const job: ScheduleDefinition = {
      name: 'test.missed',
      schedule: '* * * * *',
      run: async () => {
        runs++;
      },
    };
    const q = new JobQueue({ db: database.db, logger: silent, registry: new Registry(), work: [{ schedules: [job] }] });
    await q.start();
    await q.drain();
    await q.stop();
    // Slots pass only on the minute; none has been due since this queue started (unless a minute turned).
    const { rows } = await owner.query(
      `SELECT known_since, last_execution FROM graphile_worker._private_known_crontabs WHERE identifier = 'test.missed'`,
    );
    expect(rows).toHaveLength(1);
    expect(runs).toBe(rows[0].last_execution === null ? 0 : 1);
  });

  it('records a failing job as dead with its error, counts it, and keeps going', async () => {
    const registry = new Registry();
    let calls = 0;
    const failing: ScheduleDefinition = {
      name: 'test.failing',
      schedule: '* * * * *',
      run: () => {
        calls++;
        return Promise.reject(new Error('processor said no'));
      },
    };
    await lastRanAt('test.failing', new Date(floorMinute(Date.now()) - MINUTE));
    const q = queue([failing], registry);
    await q.start();
    try {
      await eventually(async () =>
        expect(
          (await listJobs(database.db.system, { state: 'failed', queue: 'test.failing', before: null, limit: 10 }))
            .length,
        ).toBeGreaterThanOrEqual(1),
      );
    } finally {
      await q.stop();
    }
    const [dead] = await listJobs(database.db.system, {
      state: 'failed',
      queue: 'test.failing',
      before: null,
      limit: 10,
    });
    expect(dead).toMatchObject({ queue: 'test.failing', state: 'failed', attempts: 1, max_attempts: 1 });
    expect(dead?.last_error).toContain('processor said no');
    expect(calls).toBeGreaterThanOrEqual(1);
    const metric = await registry.getSingleMetricAsString('jobs_total');
    expect(metric).toMatch(/^jobs_total\{queue="test.failing",outcome="failed"\} [1-9]/m);
  });

  it('neither enqueues nor runs schedules where they are off (serve with JOBS_IN_SERVER=false)', async () => {
    const off: ScheduleDefinition = { name: 'test.off', schedule: '* * * * *', run: async () => undefined };
    const q = new JobQueue({
      db: database.db,
      logger: silent,
      registry: new Registry(),
      runSchedules: false,
      work: [{ tasks: [{ name: 'test.task', run: async () => undefined }], schedules: [off] }],
    });
    expect(q.taskNames).toEqual(['test.task']);
    await q.start();
    await q.stop();
    const { rows } = await owner.query(
      `SELECT 1 FROM graphile_worker._private_known_crontabs WHERE identifier = 'test.off'`,
    );
    expect(rows).toEqual([]);
  });

  it('refuses a schedule that is not a cron expression', () => {
    const job: ScheduleDefinition = { name: 'test.bad', schedule: 'every minute', run: async () => undefined };
    expect(() => parseSchedule(job.name, job.schedule)).toThrow();
    expect(
      () => new JobQueue({ db: database.db, logger: silent, registry: new Registry(), work: [{ schedules: [job] }] }),
    ).toThrow();
  });
});

describe('job configuration', () => {
  it('names the variable of a schedule that is not a cron expression', () => {
    expect(() => loadConfig({ RECONCILE_SCHEDULE: 'nightly' })).toThrow(/^RECONCILE_SCHEDULE: must be a cron/);
    expect(() => loadConfig({ AUTO_VOID_SCHEDULE: '61 * * * *' })).toThrow(ConfigError);
    expect(() => loadConfig({ PAYMENT_AUTH_TTL_MINUTES: '0' })).toThrow(/PAYMENT_AUTH_TTL_MINUTES/);
    expect(() => loadConfig({ JOBS_IN_SERVER: 'maybe' })).toThrow(/JOBS_IN_SERVER/);
    expect(() => loadConfig({ WORKER_HEALTH_PORT: '70000' })).toThrow(/WORKER_HEALTH_PORT/);
    expect(loadConfig({}).jobs).toEqual({
      inServer: true,
      autoVoidSchedule: '* * * * *',
      reconcileSchedule: '30 2 * * *',
      watchdogSchedule: '*/5 * * * *',
      stuckAfterMinutes: 30,
    });
    expect(() => loadConfig({ WATCHDOG_SCHEDULE: '*/5 * *' })).toThrow(/^WATCHDOG_SCHEDULE: must be a cron/);
    expect(loadConfig({}).worker).toEqual({ healthPort: 3001 });
    expect(loadConfig({}).payments.authTtlMinutes).toBe(60);
  });
});

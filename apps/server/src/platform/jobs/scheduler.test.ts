import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/harness.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { Scheduler, type JobDefinition } from './scheduler.ts';

let database: TestDatabase;
let owner: pg.Client;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

beforeAll(async () => {
  database = await createTestDatabase();
  owner = new pg.Client({ connectionString: database.ownerUrl });
  await owner.connect();
});
afterAll(async () => {
  await owner.end();
  await database.close();
});

async function runsOf(job: string) {
  const { rows } = await owner.query<{ scheduled_for: Date; status: string; worker: string; error: string | null }>(
    'SELECT scheduled_for, status, worker, error FROM job_runs WHERE job = $1 ORDER BY scheduled_for',
    [job],
  );
  return rows;
}

describe('Scheduler', () => {
  it('runs a slot once when two schedulers tick it at the same time', async () => {
    let runs = 0;
    const job: JobDefinition = {
      name: 'test.counter',
      schedule: '*/5 * * * *',
      run: async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 50));
      },
    };
    const since = new Date('2026-03-01T10:00:30Z');
    const a = new Scheduler({ db: database.db, logger: silent, jobs: [job], since, worker: 'a' });
    const b = new Scheduler({ db: database.db, logger: silent, jobs: [job], since, worker: 'b' });
    const now = new Date('2026-03-01T10:06:00Z');
    const [ranA, ranB] = await Promise.all([a.tick(now), b.tick(now)]);
    expect(runs).toBe(1);
    expect([...ranA, ...ranB]).toEqual(['test.counter']);
    const rows = await runsOf('test.counter');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.scheduled_for.toISOString()).toBe('2026-03-01T10:05:00.000Z');
    expect(rows[0]?.status).toBe('succeeded');

    // The same slot seen again (a later tick of a third process) does not run; the next slot does, once.
    const c = new Scheduler({ db: database.db, logger: silent, jobs: [job], since, worker: 'c' });
    expect(await c.tick(now)).toEqual([]);
    const later = new Date('2026-03-01T10:10:01Z');
    await Promise.all([a.tick(later), b.tick(later), c.tick(later)]);
    expect(runs).toBe(2);
    expect((await runsOf('test.counter')).map((r) => r.scheduled_for.toISOString())).toEqual([
      '2026-03-01T10:05:00.000Z',
      '2026-03-01T10:10:00.000Z',
    ]);
  });

  it('runs nothing before the first slot and only the latest of several missed slots', async () => {
    let runs = 0;
    const job: JobDefinition = {
      name: 'test.missed',
      schedule: '* * * * *',
      run: async () => {
        runs++;
      },
    };
    const s = new Scheduler({ db: database.db, logger: silent, jobs: [job], since: new Date('2026-03-01T10:00:10Z') });
    expect(await s.tick(new Date('2026-03-01T10:00:50Z'))).toEqual([]);
    expect(await s.tick(new Date('2026-03-01T10:07:30Z'))).toEqual(['test.missed']);
    expect(runs).toBe(1);
    expect((await runsOf('test.missed'))[0]?.scheduled_for.toISOString()).toBe('2026-03-01T10:07:00.000Z');
  });

  it('records a failing job as failed with its error and keeps going', async () => {
    const job: JobDefinition = {
      name: 'test.failing',
      schedule: '0 * * * *',
      run: () => Promise.reject(new Error('processor said no')),
    };
    const s = new Scheduler({ db: database.db, logger: silent, jobs: [job], since: new Date('2026-03-01T09:59:00Z') });
    expect(await s.tick(new Date('2026-03-01T10:00:01Z'))).toEqual(['test.failing']);
    const [row] = await runsOf('test.failing');
    expect(row).toMatchObject({ status: 'failed', error: 'processor said no' });
  });

  it('refuses a schedule that is not a cron expression', () => {
    const job: JobDefinition = { name: 'test.bad', schedule: 'every minute', run: async () => undefined };
    expect(() => new Scheduler({ db: database.db, logger: silent, jobs: [job] })).toThrow();
  });
});

describe('job configuration', () => {
  it('names the variable of a schedule that is not a cron expression', () => {
    expect(() => loadConfig({ RECONCILE_SCHEDULE: 'nightly' })).toThrow(/^RECONCILE_SCHEDULE: must be a cron/);
    expect(() => loadConfig({ AUTO_VOID_SCHEDULE: '61 * * * *' })).toThrow(ConfigError);
    expect(() => loadConfig({ PAYMENT_AUTH_TTL_MINUTES: '0' })).toThrow(/PAYMENT_AUTH_TTL_MINUTES/);
    expect(() => loadConfig({ JOBS_IN_SERVER: 'maybe' })).toThrow(/JOBS_IN_SERVER/);
    expect(loadConfig({}).jobs).toEqual({
      inServer: true,
      autoVoidSchedule: '* * * * *',
      reconcileSchedule: '30 2 * * *',
    });
    expect(loadConfig({}).payments.authTtlMinutes).toBe(60);
  });
});

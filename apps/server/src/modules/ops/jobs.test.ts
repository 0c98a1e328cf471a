import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, useShop, type Client } from '../../../test/harness.ts';
import { installJobSchema, JobQueue } from '../../platform/jobs/index.ts';

const silent = pino({ level: 'silent' });
const shop = useShop();
const operator = shop.as('superadmin');
let healthy = false;
let runs = 0;
let queue: JobQueue;

beforeAll(async () => {
  await shop.operatorToken();
  await installJobSchema(shop.deps.db, silent);
  queue = new JobQueue({
    db: shop.deps.db,
    logger: silent,
    registry: shop.deps.metrics.registry,
    work: [
      {
        tasks: [
          {
            name: 'test.flaky',
            run: async () => {
              runs++;
              if (!healthy) throw new Error('the printer is on fire');
            },
          },
        ],
      },
    ],
  });
});

/** Adds a job that dies at its first failure. */
async function addJob(): Promise<string> {
  const { rows } = await shop.db.query<{ id: string }>(
    `SELECT id::text FROM graphile_worker.add_job('test.flaky', '{}'::json, max_attempts => 1)`,
  );
  return rows[0]!.id;
}

function list(query: string, as: Client = operator) {
  return as.get(`/v1/ops/jobs${query}`);
}

function retry(id: string, as: Client = operator) {
  return as.post(`/v1/ops/jobs/${id}/retry`);
}

describe('dead letters: GET /v1/ops/jobs?state=failed and POST /v1/ops/jobs/{id}/retry', () => {
  it('lists a job whose attempts ran out, retries it, and the retry runs', async () => {
    const id = await addJob();
    await queue.drain();
    const failed = await list('?state=failed');
    expect(failed.statusCode, failed.body).toBe(200);
    expect(failed.json()).toEqual({
      data: [
        expect.objectContaining({
          id,
          queue: 'test.flaky',
          state: 'failed',
          attempts: 1,
          max_attempts: 1,
          last_error: expect.stringContaining('the printer is on fire'),
        }),
      ],
      next_cursor: null,
    });
    const scrape = (await shop.anon.get('/metrics')).body;
    expect(scrape).toMatch(/^jobs_queue_depth\{queue="test.flaky",state="failed"\} 1$/m);
    expect(scrape).toMatch(/^jobs_total\{queue="test.flaky",outcome="failed"\} 1$/m);
    expect(scrape).toMatch(/^jobs_oldest_age_seconds\{queue="test.flaky"\} 0$/m);

    healthy = true;
    const retried = await retry(id);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ id, state: 'waiting', attempts: 0 });
    expect(await shop.audit({ action: 'job.retried', entityId: id })).toMatchAudit([
      {
        tenant_id: null,
        chain_key: 'platform',
        data: expect.objectContaining({ queue: 'test.flaky', previous_attempts: 1 }),
      },
    ]);
    const before = runs;
    await queue.drain();
    expect(runs).toBe(before + 1);
    // Done: a completed job leaves the queue.
    expect((await list('?queue=test.flaky')).json()).toEqual({ data: [], next_cursor: null });
    expect((await shop.anon.get('/metrics')).body).toMatch(/^jobs_total\{queue="test.flaky",outcome="completed"\} 1$/m);
  });

  it('refuses to retry a job that is not dead (409) or does not exist (404), and pages with a cursor', async () => {
    healthy = false;
    const waiting = await addJob();
    expectProblem(await retry(waiting), 409, 'conflict');
    expectProblem(await retry('999999999'), 404, 'not_found');
    await addJob();
    await addJob();
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor === null ? '' : `&cursor=${cursor}`;
      const res = await list(`?queue=test.flaky&limit=2${q}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ data: { id: string; state: string }[]; next_cursor: string | null }>();
      ids.push(...page.data.map((j) => j.id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(ids).toHaveLength(3);
    expect([...ids].sort((a, b) => Number(b) - Number(a))).toEqual(ids);
    expectProblem(await list('?state=lost'), 400, 'validation_failed');
    expectProblem(await list('?cursor=bm9wZQ'), 400, 'invalid_cursor');
    expectProblem(await retry('abc'), 400, 'validation_failed');
    // Past bigint: refused at the edge, never a database error.
    expectProblem(await retry('9999999999999999999'), 400, 'validation_failed');
  });

  it('is for superadmins only: a tenant owner gets 403, nobody signed in 401', async () => {
    const ownerToken = shop.as('owner');
    expectProblem(await list('', ownerToken), 403, 'forbidden');
    expectProblem(await retry('1', ownerToken), 403, 'forbidden');
    expectProblem(await shop.anon.get('/v1/ops/jobs'), 401, 'unauthorized');
    expectProblem(await shop.anon.post('/v1/ops/jobs/1/retry'), 401, 'unauthorized');
  });
});

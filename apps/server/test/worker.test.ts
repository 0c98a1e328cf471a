import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.ts';
import { startWorker, type RunningWorker } from '../src/worker.ts';
import { createTestDatabase, type TestDatabase } from './harness.ts';

/**
 * `novapos worker` on a database of its own (DATABASE_URL): the same background as `serve`, and its probes on
 * WORKER_HEALTH_PORT.
 */
let database: TestDatabase;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await worker?.stop();
  await database.close();
});

describe('novapos worker', () => {
  it('answers /healthz and /readyz on its own port, runs the queue with every schedule, and stops cleanly', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: path.join(os.tmpdir(), 'novapos-test-data'),
      DATABASE_URL: database.ownerUrl,
      WORKER_HEALTH_PORT: '0',
    });
    worker = await startWorker(config);
    expect(worker.healthUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const live = await fetch(`${worker.healthUrl}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${worker.healthUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { worker: { status: 'up' }, database: { status: 'up' } },
    });
    const metrics = await (await fetch(`${worker.healthUrl}/metrics`)).text();
    expect(metrics).toMatch(/^# TYPE jobs_total counter$/m);
    expect(metrics).toMatch(/^# TYPE jobs_queue_depth gauge$/m);
    expect((await fetch(`${worker.healthUrl}/nope`)).status).toBe(404);

    // The worker registered every schedule with the queue, housekeeping included (the old worker missed it).
    const owner = new pg.Client({ connectionString: database.ownerUrl });
    await owner.connect();
    try {
      const { rows } = await owner.query<{ identifier: string }>(
        'SELECT identifier FROM graphile_worker._private_known_crontabs ORDER BY identifier',
      );
      expect(rows.map((r) => r.identifier)).toEqual([
        'auth.purge_refresh_tokens',
        'backups.scheduled',
        'monitoring.stuck_orders',
        'platform.housekeeping',
        'webhooks.prune_nonces',
      ]);
    } finally {
      await owner.end();
    }

    const url = worker.healthUrl;
    await worker.stop();
    worker = undefined;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

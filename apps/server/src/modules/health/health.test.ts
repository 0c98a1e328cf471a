import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../app.ts';
import { createDatabase } from '../../platform/db/database.ts';
import { ephemeralSecrets } from '../../platform/secrets.ts';
import { createRuntime, type Runtime } from '../../runtime.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { serviceUrl, skipWithout } from '../../../test/services.ts';
import { runGuarded, type HealthCheck } from './health.checks.ts';

const silent = pino({ level: 'silent' });
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** An app on the test's database but with the runtime built from another configuration. */
async function appWith(overrides: { redisUrl?: string }): Promise<{ app: App; runtime: Runtime }> {
  const runtime = createRuntime({ ...t.config, ...overrides }, t.database.db, ephemeralSecrets(), { logger: silent });
  const app = await buildApp(runtime.deps);
  return { app, runtime };
}

describe('liveness', () => {
  it('answers /healthz and /health/live with 200 {status: ok}', async () => {
    for (const url of ['/healthz', '/health/live']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.json(), url).toEqual({ status: 'ok' });
    }
  });
});

describe('GET /health', () => {
  it('answers 200 in the Terminus shape when the database is up', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      info: { database: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' } },
    });
  });

  it('reports a throwing check as down instead of failing', async () => {
    const app = await buildApp({
      ...t.deps,
      healthChecks: {
        database: t.deps.healthChecks.database!,
        event_bus: () => Promise.reject(new Error('bus exploded')),
      },
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({
        status: 'error',
        info: { database: { status: 'up' } },
        error: { event_bus: { status: 'down', message: 'bus exploded' } },
        details: { database: { status: 'up' }, event_bus: { status: 'down', message: 'bus exploded' } },
      });
    } finally {
      await app.close();
    }
  });
});

describe('the guard around each check', () => {
  it('reports a check that hangs past the guard as down, on time', async () => {
    const started = Date.now();
    const hang: HealthCheck = () => new Promise(() => undefined);
    expect(await runGuarded(hang, 50)).toEqual({ status: 'down', message: 'no answer within 50 ms' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('reports a check that answers without a status as down', async () => {
    const odd = (async () => ({ latency_ms: 3 })) as unknown as HealthCheck;
    expect(await runGuarded(odd, 50)).toEqual({ latency_ms: 3, status: 'down', message: 'the check gave no status' });
    expect(await runGuarded((async () => null) as unknown as HealthCheck, 50)).toMatchObject({ status: 'down' });
  });
});

describe('when the database is unreachable', () => {
  let app: App;
  let runtime: Runtime;
  beforeAll(async () => {
    // Port 1 refuses connections: the real database check fails, as when PostgreSQL is down.
    const db = createDatabase({ ownerUrl: 'postgres://postgres:x@127.0.0.1:1/none', poolMax: 1 });
    runtime = createRuntime(t.config, db, ephemeralSecrets(), { logger: silent });
    app = await buildApp(runtime.deps);
  });
  afterAll(async () => {
    await app.close();
    await runtime.close();
    await runtime.deps.db.close();
  });

  it('answers /health with 503, status error and the database in `error` with a message', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    const body = res.json();
    expect(body).toMatchObject({ status: 'error', info: {}, error: { database: { status: 'down' } } });
    expect(body.error.database.message).toEqual(expect.any(String));
    expect(body.details.database).toEqual(body.error.database);
  });

  it('answers /health/db and /health/ready with 503', async () => {
    const db = await app.inject({ method: 'GET', url: '/health/db' });
    expect(db.statusCode).toBe(503);
    expect(db.json().error.database.status).toBe('down');
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      status: 'error',
      info: { server: { status: 'up' } },
      error: { database: { status: 'down' }, migrations: { status: 'down', message: 'unknown: the database is down' } },
    });
  });

  it('still answers liveness', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});

describe('GET /health/ready', () => {
  it('answers 200 when started, the database is up and the schema is current', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      info: { server: { status: 'up' }, database: { status: 'up' }, migrations: { status: 'up' } },
      error: {},
      details: { server: { status: 'up' }, database: { status: 'up' }, migrations: { status: 'up' } },
    });
  });

  it('answers 503 while the server is not ready (starting or draining)', async () => {
    const app = await buildApp({ ...t.deps, isReady: () => false });
    try {
      const res = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toEqual({
        server: { status: 'down', message: 'the server is starting or shutting down' },
      });
    } finally {
      await app.close();
    }
  });

  it('answers 503 naming the pending migration, and remembers a current schema', async () => {
    const app = await buildApp(t.deps);
    const owner = new pg.Client({ connectionString: t.database.ownerUrl });
    await owner.connect();
    const { rows } = await owner.query('SELECT * FROM schema_migrations WHERE version = $1', ['0001']);
    const forget = () => owner.query(`DELETE FROM schema_migrations WHERE version = '0001'`);
    const restore = () =>
      owner.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
        rows[0].version,
        rows[0].name,
        rows[0].checksum,
        rows[0].applied_at,
      ]);
    try {
      await forget();
      const pending = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(pending.statusCode).toBe(503);
      expect(pending.json().error.migrations.message).toMatch(/0001.*novapos migrate/);
      await restore();
      expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
      // Found current once: the files are not read again (migrations never go backwards under a running server).
      await forget();
      expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    } finally {
      await owner.query(`DELETE FROM schema_migrations WHERE version = '0001'`);
      await restore();
      await owner.end();
      await app.close();
    }
  });
});

describe('GET /health/db', () => {
  it('answers 200 with the database check only', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/db' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      info: { database: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' } },
    });
  });
});

describe('GET /health/redis', () => {
  it('answers 200 in memory mode when REDIS_URL is not set', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/redis' });
    expect(res.statusCode).toBe(200);
    const redis = { status: 'up', mode: 'memory', message: 'REDIS_URL not set; rate limits count in memory' };
    expect(res.json()).toEqual({ status: 'ok', info: { redis }, error: {}, details: { redis } });
  });

  it('answers 503 when the configured Redis is down, and /health shows it beside the database', async () => {
    const { app, runtime } = await appWith({ redisUrl: 'redis://127.0.0.1:1' });
    try {
      const res = await app.inject({ method: 'GET', url: '/health/redis' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'error', error: { redis: { status: 'down', mode: 'redis' } } });
      expect(res.json().error.redis.message).toEqual(expect.any(String));
      const all = await app.inject({ method: 'GET', url: '/health' });
      expect(all.statusCode).toBe(503);
      expect(all.json()).toMatchObject({
        status: 'error',
        info: { database: { status: 'up' } },
        error: { redis: { status: 'down' } },
      });
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});

describe.skipIf(skipWithout('TEST_REDIS_URL'))('GET /health/redis with a real Redis (needs TEST_REDIS_URL)', () => {
  it('answers 200 with mode redis', async () => {
    const { app, runtime } = await appWith({ redisUrl: serviceUrl('TEST_REDIS_URL') });
    try {
      const redis = runtime.redis!;
      // Commands fail fast until the connection is ready (no offline queue), so wait for it.
      if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
      const res = await app.inject({ method: 'GET', url: '/health/redis' });
      expect(res.statusCode).toBe(200);
      const up = { status: 'up', mode: 'redis' };
      expect(res.json()).toEqual({ status: 'ok', info: { redis: up }, error: {}, details: { redis: up } });
      const all = await app.inject({ method: 'GET', url: '/health' });
      expect(all.json().info).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});

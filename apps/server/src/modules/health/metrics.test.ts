import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.ts';
import { newId } from '../../platform/ids.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function scrape(): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe(t.deps.metrics.registry.contentType);
  return res.body;
}

describe('GET /metrics', () => {
  it('times requests by route template, and unknown paths share the label "unmatched"', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/no/such/${newId()}` })).statusCode).toBe(404);
    const text = await scrape();
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/healthz",status_code="200"\} 1$/m,
    );
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} 1$/m,
    );
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} 1$/m,
    );
    // The raw URL never becomes a label (one series per id would grow without bound).
    expect(text).not.toContain('/no/such/');
  });

  it('exposes the process metrics of prom-client', async () => {
    const text = await scrape();
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('reports both pools in db_pool_connections', async () => {
    const text = await scrape();
    // The harness builds the database with poolMax 5; the system pool gets max(2, ceil(5 / 4)).
    expect(text).toMatch(/^db_pool_connections\{pool="app",state="max"\} 5$/m);
    expect(text).toMatch(/^db_pool_connections\{pool="system",state="max"\} 2$/m);
    for (const pool of ['app', 'system']) {
      for (const state of ['total', 'idle', 'waiting']) {
        expect(text).toMatch(new RegExp(`^db_pool_connections\\{pool="${pool}",state="${state}"\\} \\d+$`, 'm'));
      }
    }
  });

  it('counts unpublished outbox events of every tenant in outbox_backlog', async () => {
    expect(await scrape()).toMatch(/^outbox_backlog 0$/m);
    const owner = new pg.Client({ connectionString: t.database.ownerUrl });
    await owner.connect();
    try {
      const sql = 'INSERT INTO outbox (id, tenant_id, topic, payload, published_at) VALUES ($1, $2, $3, $4, $5)';
      await owner.query(sql, [newId(), null, 'test.waiting', '{}', null]);
      await owner.query(sql, [newId(), newId(), 'test.waiting', '{}', null]);
      await owner.query(sql, [newId(), newId(), 'test.sent', '{}', new Date()]);
      expect(await scrape()).toMatch(/^outbox_backlog 2$/m);
    } finally {
      await owner.query(`DELETE FROM outbox WHERE topic LIKE 'test.%'`);
      await owner.end();
    }
  });

  it('is described in the OpenAPI document under the ops tag', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/metrics', '/health', '/healthz', '/health/ready', '/health/live', '/health/db']) {
      expect(doc.paths[path]?.get?.tags, path).toEqual(['ops']);
    }
    expect(Object.keys(doc.paths['/metrics'].get.responses['200'].content)).toEqual(['text/plain']);
  });
});

describe('GET /metrics with METRICS_TOKEN set', () => {
  const token = 'scrape-token-0123456789';
  let guarded: TestApp;
  beforeAll(async () => {
    guarded = await createTestApp({ METRICS_TOKEN: token });
  });
  afterAll(() => guarded.close());

  it('answers only the bearer of the token; anyone else gets 401 unauthorized and no metrics', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${token}`, 'Bearer ']) {
      const res = await guarded.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json()).toMatchObject({ code: 'unauthorized' });
      expect(res.body).not.toContain('process_cpu_seconds_total');
    }
    const ok = await guarded.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toMatch(/^process_cpu_seconds_total \d/m);
  });

  it('refuses a token shorter than 16 characters at start-up', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/^METRICS_TOKEN: must be at least 16 characters/);
  });

  it('leaves the health endpoints open to probes', async () => {
    expect((await guarded.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

import Fastify from 'fastify';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerWebApps } from './web-apps.ts';

let dir: string;
const app = Fastify();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'novapos-web-'));
  const dist = path.join(dir, 'pos');
  await mkdir(path.join(dist, 'assets'), { recursive: true });
  await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>till</title>');
  await writeFile(path.join(dist, 'sw.js'), 'self.x = 1;');
  await writeFile(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  await registerWebApps(app, [
    { name: 'pos', dist, title: 'The till' },
    { name: 'admin', dist: path.join(dir, 'admin-missing'), title: 'The back office' },
  ]);
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('web apps', () => {
  test('index.html at /pos/, revalidated on every load', async () => {
    const res = await app.inject('/pos/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>till</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  test('/pos redirects to /pos/', async () => {
    const res = await app.inject('/pos');
    expect(res.statusCode).toBe(308);
    expect(res.headers.location).toBe('/pos/');
  });

  test('hashed assets are immutable, the service worker is revalidated', async () => {
    const asset = await app.inject('/pos/assets/index-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const sw = await app.inject('/pos/sw.js');
    expect(sw.statusCode).toBe(200);
    expect(sw.headers['cache-control']).toBe('no-cache');
  });

  test('a client-side route gets index.html (SPA fallback); a missing file is a 404', async () => {
    const route = await app.inject('/pos/sale/receipt');
    expect(route.statusCode).toBe(200);
    expect(route.body).toContain('<title>till</title>');
    expect(route.headers['cache-control']).toBe('no-cache');
    const missing = await app.inject('/pos/assets/gone-123.js');
    expect(missing.statusCode).toBe(404);
  });

  test('a path outside the app cannot be read', async () => {
    const res = await app.inject('/pos/../../etc/passwd');
    expect(res.body).not.toContain('root:');
  });

  test('an app that was not built says what to run', async () => {
    const res = await app.inject('/admin/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm start');
    expect(res.body).toContain('apps/admin/dist');
  });
});

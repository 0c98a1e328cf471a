import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';

import { serviceUrl, skipWithout } from '../../test/services.ts';

const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
// In CI a missing binary is a failure, never a silent skip (CI installs redis-server).
const requireBinaries = process.env.CI === 'true';

async function outcome(limiter: RateLimiter, key: string): Promise<string> {
  try {
    await limiter.consume(key);
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function redisClient(url: string): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    retryStrategy: () => 200,
  });
  client.on('error', () => undefined);
  return client;
}

async function ready(client: Redis): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve) => client.once('ready', () => resolve()));
}

describe('rate limiter in memory (no REDIS_URL)', () => {
  it('allows the budget, then refuses with 429 rate_limited and a Retry-After', async () => {
    const limiter = createRateLimiter({ keyPrefix: 'mem', points: 2, durationSeconds: 60 });
    expect(limiter.store).toBe('memory');
    expect(await outcome(limiter, 'a')).toBe('ok');
    expect(await outcome(limiter, 'a')).toBe('ok');
    await expect(limiter.consume('a')).rejects.toMatchObject({
      code: 'rate_limited',
      status: 429,
      headers: { 'Retry-After': expect.any(String) },
    });
    expect(await outcome(limiter, 'b')).toBe('ok');
  });
});

describe.skipIf(skipWithout('TEST_REDIS_URL'))('rate limiter on the real Redis (TEST_REDIS_URL)', () => {
  const clients: Redis[] = [];
  afterAll(() => clients.forEach((c) => c.disconnect()));

  it('shares one budget between servers: two limiters on one Redis count together', async () => {
    const url = serviceUrl('TEST_REDIS_URL');
    const [one, two] = [redisClient(url), redisClient(url)];
    clients.push(one, two);
    await Promise.all([ready(one), ready(two)]);
    const prefix = `test-${Date.now()}-${Math.random()}`;
    const serverA = createRateLimiter({ keyPrefix: prefix, points: 3, durationSeconds: 60, redis: one });
    const serverB = createRateLimiter({ keyPrefix: prefix, points: 3, durationSeconds: 60, redis: two });
    expect(serverA.store).toBe('redis');
    expect([await outcome(serverA, 'ip:1'), await outcome(serverB, 'ip:1'), await outcome(serverA, 'ip:1')]).toEqual([
      'ok',
      'ok',
      'ok',
    ]);
    expect(await outcome(serverB, 'ip:1')).toBe('rate_limited');
    const stored = await one.keys(`novapos:${prefix}*`);
    expect(stored.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!existsSync(REDIS_SERVER_BIN) && !requireBinaries)('rate limiter when Redis goes down mid-run', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('keeps limiting in memory while Redis is down, and uses Redis again when it returns', async () => {
    const port = await freePort();
    const start = () => {
      child = spawn(
        REDIS_SERVER_BIN,
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
    };
    start();
    const client = redisClient(`redis://127.0.0.1:${port}`);
    try {
      await ready(client);
      const limiter = createRateLimiter({ keyPrefix: 'outage', points: 2, durationSeconds: 60, redis: client });
      expect(await outcome(limiter, 'k')).toBe('ok');
      expect(await client.keys('novapos:outage*')).toHaveLength(1);

      child?.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      // Redis is gone: the in-memory insurance limiter counts; sign-in neither fails nor goes unlimited.
      expect(await outcome(limiter, 'k2')).toBe('ok');
      expect(await outcome(limiter, 'k2')).toBe('ok');
      expect(await outcome(limiter, 'k2')).toBe('rate_limited');

      start();
      await ready(client);
      expect(await outcome(limiter, 'k3')).toBe('ok');
      expect(await client.keys('novapos:outage*')).toContain('novapos:outage:k3');
    } finally {
      client.disconnect();
    }
  }, 20_000);
});

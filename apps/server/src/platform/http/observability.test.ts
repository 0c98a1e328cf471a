import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics.ts';
import { registerObservability, serverTiming } from './observability.ts';

const TIMING = /^app;dur=(\d+\.\d{3})$/;

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify({ logger: false });
  registerObservability(app, createMetrics());
  app.get('/fast', () => ({ ok: true }));
  app.get('/slow', async () => {
    await new Promise((r) => setTimeout(r, 30));
    return { ok: true };
  });
  app.get('/fails', () => {
    throw new Error('boom');
  });
  await app.ready();
});
afterAll(() => app.close());

function durationOf(header: string | string[] | number | undefined): number {
  const match = TIMING.exec(String(header));
  expect(match, String(header)).not.toBeNull();
  return Number(match?.[1]);
}

describe('Server-Timing', () => {
  it('formats milliseconds with 3 decimals', () => {
    expect(serverTiming(0n, 1_234_567n)).toBe('app;dur=1.235');
    expect(serverTiming(10n, 10n)).toBe('app;dur=0.000');
  });

  it("answers the server's own time on every request, errors and unknown routes included", async () => {
    const fast = await app.inject({ method: 'GET', url: '/fast' });
    expect(fast.statusCode).toBe(200);
    expect(durationOf(fast.headers['server-timing'])).toBeLessThan(1000);
    const failed = await app.inject({ method: 'GET', url: '/fails' });
    expect(failed.statusCode).toBe(500);
    durationOf(failed.headers['server-timing']);
    const unknown = await app.inject({ method: 'GET', url: '/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    durationOf(unknown.headers['server-timing']);
  });

  it('counts the time the handler took', async () => {
    const slow = await app.inject({ method: 'GET', url: '/slow' });
    expect(durationOf(slow.headers['server-timing'])).toBeGreaterThanOrEqual(29);
  });
});

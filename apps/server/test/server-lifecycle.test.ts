import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runCli, waitForOutput, type TestProcess } from './processes.ts';

/**
 * `npm start` as a newcomer meets it, end to end: a real server process on an empty data folder, its embedded
 * PostgreSQL, the demo store, a second server refused, a clean SIGTERM, and a restart that keeps the data.
 * Every wait is for an event (the banner, the exit): a busy machine makes the test slower, never red.
 */

interface Started extends TestProcess {
  readonly url: string;
}

/** The environment minus anything that would point the server elsewhere than its own embedded database. */
function hermeticEnv(): NodeJS.ProcessEnv {
  const outside = new Set(['DATABASE_URL', 'DATABASE_APP_URL', 'REDIS_URL', 'EVENT_BUS_URL', 'HOST', 'PUBLIC_URL']);
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !outside.has(name)));
}

const children: TestProcess[] = [];

function serve(env: Record<string, string>): TestProcess {
  const proc = runCli(['serve'], {
    env: { ...hermeticEnv(), NODE_ENV: 'development', LOG_LEVEL: 'warn', PORT: '0', ...env },
    replaceEnv: true,
  });
  children.push(proc);
  return proc;
}

/** Starts a server and waits for its banner (or fails with its output if it exits first). */
async function start(env: Record<string, string>): Promise<Started> {
  const proc = serve(env);
  const banner = await waitForOutput(proc, /NovaPOS is running at (http:\/\/\S+)/, 'no banner');
  return { ...proc, url: banner[1]! };
}

/** Runs a command to its end and returns its exit code and its whole output. */
async function runToEnd(proc: TestProcess): Promise<{ code: number | null; output: string }> {
  const code = await proc.finished;
  return { code, output: proc.output() };
}

const stop = (started: Started): Promise<number | null> => started.stop('SIGTERM');

const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(children.map((child) => child.stop('SIGKILL')));
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

describe('the server process', () => {
  it('starts on an empty data folder, refuses a second server, stops cleanly on SIGTERM and keeps its data', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'novapos-lifecycle-'));
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) };

    const first = await start(env);
    expect(first.output()).toContain('Demo store');
    expect(first.output()).toMatch(/cashier\s+cashier@demo\.novapos\.test\s+password \S+\s+PIN \d{4}/);
    const health = await fetch(`${first.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    const logins = JSON.parse(readFileSync(path.join(dataDir, 'demo-logins.json'), 'utf8'));
    const signIn = await fetch(`${first.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: logins.users[0].email, password: logins.users[0].password }),
    });
    expect(signIn.status).toBe(200);

    const second = serve({ ...env, PORT: '0' });
    const refused = await runToEnd(second);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('already using the data folder');

    expect(await stop(first)).toBe(0);
    // HTTP and then the database stopped: no postmaster left, the lock released.
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'server.pid'))).toBe(false);

    const again = await start(env);
    // The demo store is made on the first run only; the same one is shown again.
    const loginsAfter = JSON.parse(readFileSync(path.join(dataDir, 'demo-logins.json'), 'utf8'));
    expect(loginsAfter.tenant_id).toBe(logins.tenant_id);
    expect(again.output()).toContain(logins.tenant_id);
    expect((await fetch(`${again.url}/health/ready`)).status).toBe(200);
    expect(await stop(again)).toBe(0);
  });

  it('recovers after a crash: the next start stops the orphaned database and serves again', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'novapos-crash-'));
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) };
    const first = await start(env);
    const pgPid = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    await first.stop('SIGKILL');
    // The database outlives the crashed server (it runs in its own process group) …
    expect(() => process.kill(pgPid, 0)).not.toThrow();
    // … and the next server takes the folder over, stops the orphan and starts its own.
    const next = await start(env);
    expect((await fetch(`${next.url}/health/db`)).status).toBe(200);
    const newPgPid = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(newPgPid).not.toBe(pgPid);
    expect(await stop(next)).toBe(0);
  });

  it('stops at once with a message naming the variable when the configuration is wrong', async () => {
    const bad = serve({ EMBEDDED_PG_PORT: '5432' });
    const result = await runToEnd(bad);
    expect(result.code).toBe(2);
    expect(result.output).toContain('EMBEDDED_PG_PORT');
  });
});

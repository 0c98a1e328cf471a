import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm start` as a newcomer meets it, end to end: a real server process on an empty data folder, its embedded
 * PostgreSQL, the demo store, a second server refused, a clean SIGTERM, and a restart that keeps the data.
 */

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli.ts');

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

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
}

/** The environment minus anything that would point the server elsewhere than its own embedded database. */
function hermeticEnv(): NodeJS.ProcessEnv {
  const outside = new Set(['DATABASE_URL', 'DATABASE_APP_URL', 'REDIS_URL', 'EVENT_BUS_URL', 'HOST', 'PUBLIC_URL']);
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !outside.has(name)));
}

function serve(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [CLI, 'serve'], {
    env: { ...hermeticEnv(), NODE_ENV: 'development', LOG_LEVEL: 'warn', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts a server and waits for its banner. */
function start(env: Record<string, string>): Promise<Started> {
  const child = serve(env);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /NovaPOS is running at (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it started:\n${output}`));
    });
  });
}

/** Runs a command to its end and returns its exit code and output. */
function runToEnd(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

function stop(started: Started): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.on('exit', (code) => resolve(code));
    started.child.kill('SIGTERM');
  });
}

const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

describe('the server process', () => {
  it('starts on an empty data folder, refuses a second server, stops cleanly on SIGTERM and keeps its data', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'novapos-lifecycle-'));
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) };

    const first = await start(env);
    children.push(first.child);
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
    children.push(second);
    const refused = await runToEnd(second);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('already using the data folder');

    expect(await stop(first)).toBe(0);
    // HTTP and then the database stopped: no postmaster left, the lock released.
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'server.pid'))).toBe(false);

    const again = await start(env);
    children.push(again.child);
    // The demo store is made on the first run only; the same one is shown again.
    const loginsAfter = JSON.parse(readFileSync(path.join(dataDir, 'demo-logins.json'), 'utf8'));
    expect(loginsAfter.tenant_id).toBe(logins.tenant_id);
    expect(again.output()).toContain(logins.tenant_id);
    expect((await fetch(`${again.url}/health/ready`)).status).toBe(200);
    expect(await stop(again)).toBe(0);
  }, 120_000);

  it('recovers after a crash: the next start stops the orphaned database and serves again', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'novapos-crash-'));
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) };
    const first = await start(env);
    children.push(first.child);
    const pgPid = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    await new Promise((resolve) => {
      first.child.on('exit', resolve);
      first.child.kill('SIGKILL');
    });
    // The database outlives the crashed server (it runs in its own process group) …
    expect(() => process.kill(pgPid, 0)).not.toThrow();
    // … and the next server takes the folder over, stops the orphan and starts its own.
    const next = await start(env);
    children.push(next.child);
    expect((await fetch(`${next.url}/health/db`)).status).toBe(200);
    const newPgPid = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(newPgPid).not.toBe(pgPid);
    expect(await stop(next)).toBe(0);
  }, 120_000);

  it('stops at once with a message naming the variable when the configuration is wrong', async () => {
    const bad = serve({ EMBEDDED_PG_PORT: '5432' });
    children.push(bad);
    const result = await runToEnd(bad);
    expect(result.code).toBe(2);
    expect(result.output).toContain('EMBEDDED_PG_PORT');
  });
});

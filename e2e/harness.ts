import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

/**
 * The browser suite's harness. The global setup starts the real server once per run — `novapos serve` as a child
 * process on a free port, with a temporary DATA_DIR so it makes its own embedded PostgreSQL, demo store and demo
 * card processor — and every test file drives Debian's Chromium against it.
 */

export const ROOT = path.resolve(import.meta.dirname, '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

/** What the demo store wrote to DATA_DIR/demo-logins.json. */
export interface DemoLogins {
  readonly tenant_id: string;
  readonly register_id: string;
  readonly users: readonly { role: string; email: string; password: string; pin: string | null }[];
  readonly locations?: readonly { id: string; name: string; registers: readonly { id: string; name: string }[] }[];
}

/** The running server, as the global setup hands it to the test files. */
export interface E2eServer {
  readonly url: string;
  readonly dataDir: string;
  readonly logins: DemoLogins;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eServer;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** Starts `node apps/server/src/cli.ts serve` and resolves once its banner prints the URL. */
export async function startServerProcess(): Promise<{ server: E2eServer; stop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'novapos-e2e-'));
  // The embedded PostgreSQL runs as the `postgres` user when we are root: it must be able to enter the folder.
  fs.chmodSync(dataDir, 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    // Every test signs in from 127.0.0.1, several times each: a quiet machine runs the suite fast enough to pass the
    // default 30 sign-ins a minute per address (the limiter has tests of its own on the server).
    LOGIN_RATE_LIMIT_POINTS: '10000',
  };
  delete env.DATABASE_URL;
  delete env.GATEWAY_URL;
  const child = spawn(process.execPath, [path.join(ROOT, 'apps/server/src/cli.ts'), 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within 150 s:\n${out}`));
    }, 150_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${String(code)} before it was ready:\n${out}`));
    });
    // The banner is on stderr (stdout carries the JSON logs); stderr is passed through as before.
    const onOutput = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /NovaPOS is running at (http:\/\/\S+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      onOutput(chunk);
    });
  });
  const logins = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-logins.json'), 'utf8')) as DemoLogins;
  return {
    server: { url, dataDir, logins },
    stop: async () => {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The server of this run (from the global setup). */
export function e2eServer(): E2eServer {
  return inject('e2e');
}

/** A demo user by role. */
export function demoUser(role: string): { email: string; password: string; pin: string } {
  const user = e2eServer().logins.users.find((u) => u.role === role);
  if (user === undefined) throw new Error(`the demo store has no ${role}`);
  return { email: user.email, password: user.password, pin: user.pin ?? '' };
}

/** Launches Debian's Chromium headless, with a fresh profile; never a downloaded browser. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

/** A fresh browser context (its own IndexedDB, cookies and service worker) at the till's screen size. */
export async function newTillContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: e2eServer().url,
    viewport: { width: 1024, height: 768 },
    hasTouch: true,
    locale: 'en-US',
  });
}

/** Saves a screenshot of the page to docs/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Calls the API as a signed-in user (for checks behind the browser's back). */
export async function apiAs(
  role: string,
): Promise<(method: string, url: string, body?: unknown) => Promise<{ status: number; body: unknown }>> {
  const { url } = e2eServer();
  const user = demoUser(role);
  const res = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${role} answered ${res.status}: ${await res.text()}`);
  const { access_token } = (await res.json()) as { access_token: string };
  return async (method, path, body) => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${access_token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, body: r.status === 204 ? undefined : await r.json() };
  };
}

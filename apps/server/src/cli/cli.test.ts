import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verify } from '@node-rs/argon2';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/harness.ts';

/**
 * `novapos` as an operator meets it: a real child process on a database of this file's own (DATABASE_URL),
 * its exit codes, what it prints where (stdout for results, stderr for people), and where passwords come from.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'src/cli.ts');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let database: TestDatabase;
let dataDir: string;

/** The environment of a run: this file's database and data folder, nothing inherited that points elsewhere. */
function envFor(extra: Record<string, string> = {}, url = database.ownerUrl): NodeJS.ProcessEnv {
  const outside = /^(DATABASE_|REDIS_URL|EVENT_BUS_URL|NOVAPOS_|PUBLIC_URL|HOST$|PORT$)/;
  const kept = Object.fromEntries(Object.entries(process.env).filter(([name]) => !outside.test(name)));
  return { ...kept, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: url, DATA_DIR: dataDir, ...extra };
}

/** Runs the CLI to its end, with `input` on its standard input (a pipe, never a terminal). */
function run(args: string[], options: { env?: Record<string, string>; input?: string; url?: string } = {}) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: envFor(options.env, options.url),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(options.input ?? '');
  return new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function passwordHashOf(email: string): Promise<string | undefined> {
  const { rows } = await database.db.system.query<{ password_hash: string }>(
    'SELECT password_hash FROM platform_users WHERE email = $1',
    [email],
  );
  return rows[0]?.password_hash;
}

beforeAll(async () => {
  database = await createTestDatabase(2);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'novapos-cli-'));
});
afterAll(async () => {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('usage', { timeout: 120_000 }, () => {
  it('prints its version', async () => {
    expect(await run(['--version'])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it('refuses a bad option value with exit code 2 and the option named, before touching the database', async () => {
    const res = await run(['backup', 'list', '--limit', 'abc']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("option '--limit <n>' argument 'abc' is invalid");
    expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(res.stdout).toBe('');
  });

  it('answers an unknown command or a missing option with exit code 2, and --help with 0', async () => {
    expect((await run(['no-such-command'])).code).toBe(2);
    expect((await run(['tenant', 'create', '--name', 'No Owner'])).code).toBe(2);
    const help = await run(['superadmin', 'create', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('NOVAPOS_PASSWORD');
    expect(help.stdout).toContain('--password-stdin');
  });
});

describe('passwords', { timeout: 120_000 }, () => {
  it('reads one from standard input with --password-stdin (the newline of echo excluded)', async () => {
    const res = await run(['superadmin', 'create', '--email', 'stdin@ops.test', '--password-stdin', '--json'], {
      input: 'piped passphrase 1\n',
    });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toMatchObject({ superadmin_id: expect.any(String) });
    expect(await verify((await passwordHashOf('stdin@ops.test')) ?? '', 'piped passphrase 1')).toBe(true);
  });

  it('reads one from the environment variable the help names, without a warning', async () => {
    const res = await run(['superadmin', 'create', '--email', 'env@ops.test', '--json'], {
      env: { NOVAPOS_PASSWORD: 'environment passphrase' },
    });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toBe('');
    expect(await verify((await passwordHashOf('env@ops.test')) ?? '', 'environment passphrase')).toBe(true);
  });

  it('still takes the old flag, with a warning on stderr that argv is visible', async () => {
    const res = await run(['superadmin', 'create', '--email', 'flag@ops.test', '--password', 'flag passphrase 1']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/^Warning: --password shows the password .* \(ps\)/);
    expect(res.stdout).toContain('Superadmin flag@ops.test created');
    const tenant = await run(
      ['tenant', 'create', '--name', 'Flag Shop', '--owner-email', 'o@flag.test', '--owner-password', 'owner pw 123'],
      {},
    );
    expect(tenant.code, tenant.stderr).toBe(0);
    expect(tenant.stderr).toContain('Warning: --owner-password shows the password');
  });

  it('is a usage error (exit 2) when none is given and no terminal can ask, or when two sources are given', async () => {
    const none = await run(['superadmin', 'create', '--email', 'none@ops.test']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('NOVAPOS_PASSWORD');
    const both = await run(
      ['superadmin', 'create', '--email', 'both@ops.test', '--password', 'x', '--password-stdin'],
      {
        input: 'y\n',
      },
    );
    expect(both.code).toBe(2);
    expect(await passwordHashOf('none@ops.test')).toBeUndefined();
    expect(await passwordHashOf('both@ops.test')).toBeUndefined();
  });

  it('asks at a terminal without echoing what is typed', async () => {
    // util-linux `script` gives the CLI a pseudo-terminal, as a person's shell would.
    const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
    expect(script.status, 'util-linux script(1) is needed for this test').toBe(0);
    const command = [process.execPath, CLI, 'superadmin', 'create', '--email', 'tty@ops.test', '--json']
      .map((a) => `'${a}'`)
      .join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: envFor(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    const typed = 'typed passphrase 7';
    const asked = new Set<string>();
    child.stdout.on('data', (c: Buffer) => {
      screen += c.toString();
      // Type the answer once each question is on the screen.
      for (const question of ['Password for tty@ops.test: ', 'Repeat it: ']) {
        if (screen.includes(question) && !asked.has(question)) {
          asked.add(question);
          child.stdin.write(`${typed}\r`);
        }
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, screen).toBe(0);
    expect(asked.size).toBe(2);
    expect(screen).not.toContain(typed);
    expect(screen).toContain('superadmin_id');
    expect(await verify((await passwordHashOf('tty@ops.test')) ?? '', typed)).toBe(true);
  });
});

describe('long commands show progress on stderr (plain lines when it is not a terminal)', { timeout: 120_000 }, () => {
  let tenantId: string;

  it('migrate: one line per migration applied, the last at 100 %', async () => {
    const name = `${database.name}_empty`;
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(database.ownerUrl);
    url.pathname = `/${name}`;
    try {
      const res = await run(['migrate'], { url: url.toString() });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/^Applied: 0001, /);
      const lines = res.stderr.trim().split('\n');
      expect(lines[0]).toMatch(/^migrate: 0\/\d+ \(0 %\)$/);
      expect(lines.at(-1)).toMatch(/^migrate: (\d+)\/\1 \(100 %\) \d{4}_[a-z0-9_]+$/);
      const again = await run(['migrate'], { url: url.toString() });
      expect(again).toMatchObject({ code: 0, stdout: 'The database is up to date.\n', stderr: '' });
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('seed: its steps, ending with the sales dated into the past', async () => {
    const created = await run(
      ['tenant', 'create', '--name', 'Progress Shop', '--owner-email', 'o@progress.test', '--json'],
      { env: { NOVAPOS_OWNER_PASSWORD: 'owner passphrase' } },
    );
    expect(created.code, created.stderr).toBe(0);
    tenantId = (JSON.parse(created.stdout) as { tenant_id: string }).tenant_id;
    const res = await run(['seed', '--tenant-id', tenantId, '--days', '1', '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ products: expect.any(Number) });
    const lines = res.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^seed: 0\/\d+ \(0 %\)$/);
    expect(lines.at(-1)).toMatch(/^seed: (\d+)\/\1 \(100 %\) dated into the past$/);
  });

  it('catalog export: the rows written, while stdout carries only the CSV', async () => {
    const res = await run(['catalog', 'export', '--tenant-id', tenantId]);
    expect(res.code, res.stderr).toBe(0);
    const csvLines = res.stdout.trim().split('\n').length;
    expect(csvLines).toBeGreaterThan(100);
    const lines = res.stderr.trim().split('\n');
    expect(lines[0]).toBe('export: 0 rows');
    expect(lines.at(-1)).toBe(`export: ${csvLines - 1} rows`);
  });

  it('backup create: the bytes written, and the result on stdout', async () => {
    const res = await run(['backup', 'create', '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ status: 'succeeded' });
    const lines = res.stderr.trim().split('\n');
    expect(lines[0]).toBe('backup: 0.0 KiB');
    expect(lines.at(-1)).toMatch(/^backup: \d+\.\d (KiB|MiB)( written)?$/);
  });
});

describe('serve', { timeout: 120_000 }, () => {
  it('prints its banner on stderr; stdout carries only JSON log lines', async () => {
    const child = spawn(process.execPath, [CLI, 'serve'], {
      env: envFor({ LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', JOBS_IN_SERVER: 'false' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes('Press Ctrl-C to stop.')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/NovaPOS is running at http:\/\/127\.0\.0\.1:\d+/);
    const lines = stdout.trim().split('\n');
    expect(lines.some((l) => l.includes('"NovaPOS started"'))).toBe(true);
    for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    expect(stdout).not.toContain('NovaPOS is running');
  });
});

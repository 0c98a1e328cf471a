import { spawn } from 'node:child_process';
import { AppError } from '../../platform/errors.ts';

/**
 * pg_dump and pg_restore come from the PostgreSQL client tools (Debian: `postgresql-client-15`). The embedded
 * database's npm package ships only initdb, pg_ctl and postgres, so they are never taken from it. pg_dump refuses
 * a server of a newer major version than itself, which is why the embedded server is PostgreSQL 15.
 */

/** How the tools reach the database: the owner's URL without its password, which travels in PGPASSWORD. */
export interface ToolTarget {
  readonly dbUrl: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Splits a connection string so the password never appears in a command line (`ps` shows those to everyone). */
export function toolTarget(connectionString: string): ToolTarget {
  const url = new URL(connectionString);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: 'novapos-backup' };
  if (password !== '') env.PGPASSWORD = password;
  return { dbUrl: url.toString(), env };
}

/** `pg_dump (PostgreSQL) 15.20 (Debian …)` → 15; undefined when the binary cannot be run. */
export async function toolMajorVersion(bin: string): Promise<number | undefined> {
  const out = await new Promise<string | undefined>((resolve) => {
    const child = spawn(bin, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 ? text : undefined));
  });
  const match = out?.match(/\(PostgreSQL\)\s+(\d+)/);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Refuses early, with what to install, when a tool is missing or older than the server. */
export async function requireTool(bin: string, serverMajor: number): Promise<void> {
  const major = await toolMajorVersion(bin);
  if (major === undefined) {
    throw new AppError(
      'backups_unavailable',
      `${bin} was not found: install the PostgreSQL ${serverMajor} client tools (Debian: apt-get install ` +
        `postgresql-client-${serverMajor}) or set PG_DUMP_BIN / PG_RESTORE_BIN`,
    );
  }
  if (major < serverMajor) {
    throw new AppError(
      'backups_unavailable',
      `${bin} is version ${major} but the database is PostgreSQL ${serverMajor}: install postgresql-client-${serverMajor}`,
    );
  }
}

/** The result of a tool run: its exit code and the end of what it said on stderr. */
export interface ToolRun {
  readonly code: number | null;
  readonly stderr: string;
}

/** Runs a tool, handing each stderr line to `onLine` (pg_restore --verbose reports progress there). */
export function runTool(
  bin: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { stdout?: 'pipe' | 'ignore'; onLine?: (line: string) => void } = {},
): { child: ReturnType<typeof spawn>; done: Promise<ToolRun> } {
  const child = spawn(bin, args, { env, stdio: ['ignore', options.stdout ?? 'ignore', 'pipe'] });
  let stderr = '';
  let partial = '';
  child.stderr?.on('data', (d: Buffer) => {
    const text = d.toString();
    stderr = (stderr + text).slice(-4000);
    if (options.onLine === undefined) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onLine(line);
  });
  const done = new Promise<ToolRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr: stderr.trim() }));
  });
  return { child, done };
}

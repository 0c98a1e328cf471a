import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';

/** Where and with what a run happened. */
export interface Machine {
  readonly date: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  readonly postgres: string;
  readonly pgbench: string;
}

function cpuModel(): string {
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    return /model name\s*:\s*(.+)/.exec(info)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

/** Describes this machine and the PostgreSQL server at `ownerUrl`. */
export async function describeMachine(ownerUrl: string, pgbench: string): Promise<Machine> {
  const db = new pg.Client({ connectionString: ownerUrl });
  await db.connect();
  let postgres = 'unknown';
  try {
    postgres = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? postgres;
  } finally {
    await db.end();
  }
  return {
    date: new Date().toISOString(),
    cpuModel: cpuModel(),
    cores: os.availableParallelism(),
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres,
    pgbench,
  };
}

// Starts the NovaPOS server a benchmark runs against, as a child process: on a fresh embedded PostgreSQL (the demo
// store is the tenant) or on DATABASE_URL's server (a new tenant made and seeded with the CLI).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI, freePort, spawnServer, type ChildServer } from './server.ts';

/** A NovaPOS server started for a benchmark, with the tenant it sells for. */
export interface Started {
  readonly server: ChildServer;
  readonly ownerUrl: string;
  readonly tenantId: string;
  readonly email: string;
  readonly password: string;
  readonly cleanup: () => Promise<void>;
}

const baseEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  LOG_LEVEL: 'warn',
  PORT: '0',
  HOST: '127.0.0.1',
  ACCESS_TOKEN_TTL_SECONDS: '3600',
  ...extra,
});
const BANNER = /NovaPOS is running at (http:\/\/\S+)/;

/** The embedded PostgreSQL in a fresh DATA_DIR; the demo store the server makes on first start is the tenant. */
export async function startEmbedded(
  nodeArgs: readonly string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<Started> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'novapos-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const pgPort = await freePort();
  const server = await spawnServer(
    [...nodeArgs, CLI, 'serve'],
    baseEnv({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), ...extraEnv }),
    BANNER,
  );
  const logins = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-logins.json'), 'utf8')) as {
    tenant_id: string;
    users: { role: string; email: string; password: string }[];
  };
  const owner = logins.users.find((u) => u.role === 'owner');
  if (owner === undefined) throw new Error('the demo store has no owner');
  const pw = fs.readFileSync(path.join(dataDir, 'keys', 'pg-superuser-password'), 'utf8').trim();
  return {
    server,
    ownerUrl: `postgres://postgres:${encodeURIComponent(pw)}@127.0.0.1:${pgPort}/novapos`,
    tenantId: logins.tenant_id,
    email: owner.email,
    password: owner.password,
    cleanup: async () => {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** DATABASE_URL's server: a new tenant made and seeded with the CLI, then the server started on it. */
export async function startOnDatabaseUrl(
  url: string,
  nodeArgs: readonly string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<Started> {
  const run = promisify(execFile);
  const env = baseEnv(extraEnv);
  const email = `bench-${Date.now()}@bench.novapos.test`;
  const password = `bench-${Math.random().toString(36).slice(2)}-pw`;
  const created = await run(
    process.execPath,
    [CLI, 'tenant', 'create', '--name', 'Bench Shop', '--owner-email', email, '--owner-password', password, '--json'],
    { env },
  );
  const tenantId = (JSON.parse(created.stdout.trim()) as { tenant_id: string }).tenant_id;
  await run(process.execPath, [CLI, 'seed', '--tenant-id', tenantId, '--days', '1'], {
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  const server = await spawnServer([...nodeArgs, CLI, 'serve'], env, BANNER);
  return { server, ownerUrl: url, tenantId, email, password, cleanup: () => server.stop() };
}

/**
 * The Node flags `npm start` runs the server with (package.json's `novapos` script), so the benchmark measures
 * the server as it is run: a young generation of 8 MB semi-spaces (docs/performance.md, "Memory").
 */
export const SERVER_NODE_ARGS = ['--max-semi-space-size=8'];

/**
 * The embedded database, or DATABASE_URL's server when set; `nodeArgs` go to the server's Node (e.g. --cpu-prof),
 * `extraEnv` to its environment (e.g. GATEWAY_URL).
 */
export function startServerForBench(
  nodeArgs: readonly string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<Started> {
  const url = process.env.DATABASE_URL;
  const args = [...SERVER_NODE_ARGS, ...nodeArgs];
  return url === undefined || url === '' ? startEmbedded(args, extraEnv) : startOnDatabaseUrl(url, args, extraEnv);
}

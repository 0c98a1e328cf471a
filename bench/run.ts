// `npm run bench` (full: 60 s per checkout concurrency) or `npm run bench -- --quick` (a smoke run for CI that
// judges correctness, never timings). See bench/README.md.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { benchCheckout, checkoutBodies, verifyCheckout, type CheckoutRun } from './benchmarks/checkout.ts';
import { benchCompute } from './benchmarks/compute.ts';
import { benchTotals } from './benchmarks/totals.ts';
import { describeMachine } from './lib/machine.ts';
import { initPgbench, pgbenchVersion } from './lib/pgbench.ts';
import { writeResults, toMarkdown, type SuiteResult } from './lib/report.ts';
import { CLI, freePort, spawnServer, type ChildServer } from './lib/server.ts';
import { ownerToken, prepareShop } from './lib/shop.ts';

const quick = process.argv.includes('--quick');
const plan = quick
  ? {
      warmup: 1,
      checkoutSeconds: 3,
      computeSeconds: 3,
      concurrencies: [1, 4],
      computeConnections: 4,
      totalsIterations: 200,
    }
  : {
      warmup: 10,
      checkoutSeconds: 60,
      computeSeconds: 20,
      concurrencies: [1, 16],
      computeConnections: 16,
      totalsIterations: 2000,
    };
const REGISTERS = 50;
const SKUS = 12;

const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

interface Started {
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
async function startEmbedded(): Promise<Started> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'novapos-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const pgPort = await freePort();
  const server = await spawnServer(
    [CLI, 'serve'],
    baseEnv({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) }),
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
async function startOnDatabaseUrl(url: string): Promise<Started> {
  const run = promisify(execFile);
  const env = baseEnv({});
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
  const server = await spawnServer([CLI, 'serve'], env, BANNER);
  return { server, ownerUrl: url, tenantId, email, password, cleanup: () => server.stop() };
}

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL;
  log(
    `${quick ? 'quick' : 'full'} run; database: ${databaseUrl === undefined || databaseUrl === '' ? 'embedded' : 'DATABASE_URL'}`,
  );
  const totals = benchTotals(plan.totalsIterations);
  log(`totals engine: median ${totals.medianMs} ms`);
  const started =
    databaseUrl === undefined || databaseUrl === '' ? await startEmbedded() : await startOnDatabaseUrl(databaseUrl);
  try {
    const { server } = started;
    log(`server ${server.url} (pid ${server.pid})`);
    const token = await ownerToken(server.url, started.email, started.password);
    const shop = await prepareShop(server.url, started.ownerUrl, started.tenantId, token, REGISTERS, SKUS);
    const compute = await benchCompute(shop, plan.computeConnections, plan.warmup, plan.computeSeconds);
    log(`compute: ${compute.novapos.okPerSecond} req/s vs bare ${compute.bareFastify.okPerSecond} req/s`);
    const pgbenchUrl = await initPgbench(started.ownerUrl);
    const bodies = await checkoutBodies(shop);
    const checkout: CheckoutRun[] = [];
    const createdIds: string[] = [];
    const unansweredIds: string[] = [];
    for (const c of plan.concurrencies) {
      const {
        run,
        createdIds: ids,
        unansweredIds: cut,
      } = await benchCheckout(shop, bodies, pgbenchUrl, server.pid, c, plan.warmup, plan.checkoutSeconds);
      log(
        `checkout c${c}: ${run.load.okPerSecond} sales/s (pgbench ${run.pgbench.tps} TPS), p99 ${run.load.p99Ms} ms, RSS max ${run.rssMb.max} MB`,
      );
      checkout.push(run);
      createdIds.push(...ids);
      unansweredIds.push(...cut);
    }
    const verification = await verifyCheckout(shop, createdIds, unansweredIds);
    const result: SuiteResult = {
      mode: quick ? 'quick' : 'full',
      machine: await describeMachine(started.ownerUrl, await pgbenchVersion()),
      settings: {
        database: databaseUrl === undefined || databaseUrl === '' ? 'embedded' : 'DATABASE_URL',
        registers: REGISTERS,
        skus: SKUS,
        warmup_s: plan.warmup,
        checkout_s: plan.checkoutSeconds,
        compute_s: plan.computeSeconds,
        concurrencies: plan.concurrencies.join('/'),
        compute_connections: plan.computeConnections,
        database_pool_max: process.env.DATABASE_POOL_MAX ?? '10 (default)',
        pgbench: 'scale 1, -M prepared, -j 2',
        log_level: 'warn',
      },
      totals,
      compute,
      checkout,
      verification,
    };
    const files = writeResults(result, import.meta.dirname);
    process.stdout.write(`${toMarkdown(result)}\nWrote ${files.json} and ${files.md}\n`);
    if (verification.errors.length > 0) {
      log(`verification FAILED: ${verification.errors.join('; ')}`);
      return 1;
    }
    return 0;
  } finally {
    await started.cleanup();
  }
}

process.exitCode = await main();

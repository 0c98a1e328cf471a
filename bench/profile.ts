// `npm run bench:profile -- compute|checkout [seconds]`: the server under one benchmark's load (c16) with V8's CPU
// profiler on (`node --cpu-prof`) and pg_stat_statements reset just before. Writes the .cpuprofile (open it in
// Chrome DevTools → Performance) and a summary: where the server's CPU went during the load (by package and by
// function, self time) and what the database did per request (statements by total time, calls per request).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { checkoutBodies } from './benchmarks/checkout.ts';
import { runLoad, type LoadSpec } from './lib/load.ts';
import { summarizeProfile, type CpuProfile } from './lib/profile-summary.ts';
import { ownerToken, prepareShop } from './lib/shop.ts';
import { startServerForBench, type Started } from './lib/start.ts';

const kind = process.argv[2] === 'checkout' ? 'checkout' : 'compute';
const seconds = Number(process.argv[3] ?? 20);
const connections = 16;
const outDir = path.join(import.meta.dirname, 'results', 'profiles');
const stamp = new Date().toISOString().replaceAll(':', '-').replaceAll('.', '-');
const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'novapos-profile-'));

const log = (line: string): void => {
  process.stderr.write(`[profile] ${line}\n`);
};

interface StatementRow {
  query: string;
  calls: number;
  total_ms: number;
  mean_ms: number;
}

async function topStatements(ownerUrl: string, reset: boolean): Promise<StatementRow[]> {
  const db = new pg.Client({ connectionString: ownerUrl });
  await db.connect();
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    if (reset) {
      await db.query('SELECT pg_stat_statements_reset()');
      return [];
    }
    const { rows } = await db.query<StatementRow>(
      `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls::int AS calls,
              round(total_exec_time::numeric, 1)::float8 AS total_ms, round(mean_exec_time::numeric, 3)::float8 AS mean_ms
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ORDER BY total_exec_time DESC LIMIT 25`,
    );
    return rows;
  } finally {
    await db.end();
  }
}

interface Measured {
  readonly requests: number;
  readonly perSecond: number;
  readonly statements: StatementRow[];
}

/** Wall-clock marks to cut the load's window out of the profile (which also holds start-up and seeding). */
const marks = { loadStart: 0, loadEnd: 0, stopped: 0 };

async function measure(started: Started): Promise<Measured> {
  const { server } = started;
  const token = await ownerToken(server.url, started.email, started.password);
  const shop = await prepareShop(server.url, started.ownerUrl, started.tenantId, token, 50, 12);
  const spec: Pick<LoadSpec, 'kind' | 'path' | 'bodies' | 'registerIds'> =
    kind === 'compute'
      ? {
          kind,
          path: '/v1/orders/compute',
          bodies: [0, 1, 2, 3].map((k) => ({
            register_id: shop.registerIds[0],
            items: [0, 1, 2, 3, 4].map((j) => ({ sku: shop.skus[(k + j) % shop.skus.length] ?? '', quantity: 1 + j })),
          })),
          registerIds: [],
        }
      : { kind, path: '/v1/orders/sku', bodies: await checkoutBodies(shop), registerIds: shop.registerIds };
  log(`${kind} at c${connections} for ${seconds} s against ${server.url}`);
  await topStatements(started.ownerUrl, true);
  marks.loadStart = performance.now();
  const result = await runLoad({ ...spec, url: shop.url, token: shop.token, connections, warmupSeconds: 0, seconds });
  marks.loadEnd = performance.now();
  return {
    requests: result.ok,
    perSecond: result.okPerSecond,
    statements: await topStatements(started.ownerUrl, false),
  };
}

async function main(): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  const started = await startServerForBench(['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
  const { requests, perSecond, statements } = await (async () => {
    try {
      return await measure(started);
    } finally {
      await started.server.stop();
      marks.stopped = performance.now();
      await started.cleanup();
    }
  })();
  const file = fs.readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error('the server wrote no CPU profile');
  const target = path.join(outDir, `${stamp}-${kind}.cpuprofile`);
  fs.copyFileSync(path.join(profileDir, file), target);
  fs.rmSync(profileDir, { recursive: true, force: true });
  // The load process starts ~0.3 s after loadStart; the window is cut by a second at each end to stay inside it.
  const window = {
    fromEndUs: (marks.stopped - marks.loadStart - 1000) * 1000,
    toEndUs: (marks.stopped - marks.loadEnd + 1000) * 1000,
  };
  const summary = summarizeProfile(JSON.parse(fs.readFileSync(target, 'utf8')) as CpuProfile, window);
  const perRequest = (calls: number): string => (requests === 0 ? '—' : (calls / requests).toFixed(2));
  const lines = [
    `# CPU profile: ${kind}, c${connections}, ${seconds} s (${requests} answered 2xx, ${perSecond}/s)`,
    '',
    `Server process busy ${summary.busyPercent} % of the load window (idle ${summary.idlePercent} %), ` +
      `${summary.busyMsPerRequest(requests)} ms of CPU per request.`,
    '',
    '| by package | self % of busy |',
    '| --- | --- |',
    ...summary.byPackage.slice(0, 15).map((p) => `| ${p.name} | ${p.percent} |`),
    '',
    '| function (self time) | where | self % of busy |',
    '| --- | --- | --- |',
    ...summary.byFunction.slice(0, 30).map((f) => `| ${f.name} | ${f.where} | ${f.percent} |`),
    '',
    '| statement (pg_stat_statements) | calls per request | mean ms | total ms |',
    '| --- | --- | --- | --- |',
    ...statements.map(
      (s) =>
        `| ${s.query.slice(0, 140).replaceAll('|', '\\|')} | ${perRequest(s.calls)} | ${s.mean_ms} | ${s.total_ms} |`,
    ),
    '',
  ];
  fs.writeFileSync(target.replace(/\.cpuprofile$/, '.md'), lines.join('\n'));
  process.stdout.write(`${lines.join('\n')}\nWrote ${target}\n`);
}

await main();

/**
 * graphile-worker against pg-boss on this machine: schema install, enqueue latency, drain throughput, pick-up
 * latency of an idle worker, and what an idle worker costs (CPU and database transactions). docs/jobs.md records
 * the figures and the choice.
 *
 *   node bench/jobs-queues.ts [--jobs 5000] [--url postgres://postgres@127.0.0.1:5432/postgres] [--modules DIR]
 *
 * Each queue runs in a child process of its own (its CPU time is its own) on a fresh database created on the
 * server at --url and dropped afterwards. The queue not installed in this repository is loaded from --modules
 * (a folder with node_modules/, e.g. after `npm install --prefix /tmp/jobbench graphile-worker pg-boss`).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type * as GraphileWorker from 'graphile-worker';
import pg from 'pg';

type QueueName = 'graphile-worker' | 'graphile-worker (local queue)' | 'pg-boss';
const QUEUES: readonly QueueName[] = ['graphile-worker', 'graphile-worker (local queue)', 'pg-boss'];
const CONCURRENCY = 10;
const PICKUP_SAMPLES = 50;
const IDLE_SECONDS = 20;

interface Result {
  queue: QueueName;
  version: string;
  installMs: number;
  enqueueP50Ms: number;
  enqueueP95Ms: number;
  enqueuePerSecond: number;
  drainMs: number;
  jobsPerSecond: number;
  pickupP50Ms: number;
  pickupP95Ms: number;
  idleCpuMsPerMinute: number;
  idleTransactionsPerMinute: number;
}

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '5000' },
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    modules: { type: 'string', default: process.cwd() },
    child: { type: 'string' },
    db: { type: 'string' },
    only: { type: 'string' },
  },
});

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** The folder of package `name` in a node_modules at or above `base`, if any. */
function packageDir(name: string, base: string): string | undefined {
  for (let dir = path.resolve(base); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Imports a package from this repository, or else from --modules. */
async function load(name: string): Promise<{ mod: unknown; version: string }> {
  const dir = packageDir(name, import.meta.dirname) ?? packageDir(name, values.modules);
  if (dir === undefined) throw new Error(`${name} is not installed here nor in ${values.modules}`);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    version: string;
    main?: string;
    exports?: unknown;
  };
  const entry = path.join(dir, typeof pkg.exports === 'string' ? pkg.exports : (pkg.main ?? 'index.js'));
  return { mod: (await import(pathToFileURL(entry).href)) as unknown, version: pkg.version };
}

/** Transactions the database has counted (statistics are flushed about once a second). */
async function transactions(client: pg.Client, db: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1',
    [db],
  );
  return Number(rows[0]?.n ?? 0);
}

/** The measurements common to both queues, given how to enqueue one job and how to start/stop a worker. */
async function measure(
  queue: QueueName,
  version: string,
  url: string,
  installMs: number,
  q: {
    enqueue: (payload: { sent: number }) => Promise<void>;
    startWorker: (onJob: (payload: { sent: number }) => void) => Promise<void>;
  },
): Promise<Result> {
  const jobs = Number(values.jobs);
  const latencies: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < jobs; i++) {
    const s = performance.now();
    await q.enqueue({ sent: 0 });
    latencies.push(performance.now() - s);
  }
  const enqueueMs = performance.now() - t0;
  latencies.sort((a, b) => a - b);

  let done = 0;
  let pickups: number[] = [];
  let onDone: (() => void) | undefined;
  const drained = new Promise<void>((resolve) => (onDone = resolve));
  const d0 = performance.now();
  await q.startWorker((payload) => {
    if (payload.sent === 0) {
      done++;
      if (done === jobs) onDone?.();
    } else {
      pickups.push(Date.now() - payload.sent);
    }
  });
  await drained;
  const drainMs = performance.now() - d0;

  // Pick-up: one job at a time into an idle worker, 100 ms apart.
  pickups = [];
  for (let i = 0; i < PICKUP_SAMPLES; i++) {
    const before = pickups.length;
    await q.enqueue({ sent: Date.now() });
    const deadline = Date.now() + 10_000;
    while (pickups.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, 100));
  }
  pickups.sort((a, b) => a - b);

  // Idle: nothing to do for IDLE_SECONDS.
  const db = new URL(url).pathname.slice(1);
  const stats = new pg.Client({ connectionString: url });
  await stats.connect();
  await new Promise((r) => setTimeout(r, 2000));
  const x0 = await transactions(stats, db);
  const c0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const c1 = process.cpuUsage(c0);
  await new Promise((r) => setTimeout(r, 1500));
  // Our own two statistics queries are not the worker's.
  const x1 = (await transactions(stats, db)) - 2;
  await stats.end();
  const perMinute = 60 / IDLE_SECONDS;
  return {
    queue,
    version,
    installMs: round(installMs),
    enqueueP50Ms: round(percentile(latencies, 50), 2),
    enqueueP95Ms: round(percentile(latencies, 95), 2),
    enqueuePerSecond: Math.round(jobs / (enqueueMs / 1000)),
    drainMs: Math.round(drainMs),
    jobsPerSecond: Math.round(jobs / (drainMs / 1000)),
    pickupP50Ms: percentile(pickups, 50),
    pickupP95Ms: percentile(pickups, 95),
    idleCpuMsPerMinute: round(((c1.user + c1.system) / 1000) * perMinute),
    idleTransactionsPerMinute: Math.round((x1 - x0) * perMinute),
  };
}

/**
 * graphile-worker as NovaPOS runs it: with `localQueue`, the pool fetches and locks a batch for its workers (one
 * poll per pool instead of one per worker) and completions are batched.
 */
function runGraphileLocalQueue(url: string): Promise<{ result: Result; stop: () => Promise<void> }> {
  return runGraphile(url, true);
}

async function runGraphile(url: string, localQueue = false): Promise<{ result: Result; stop: () => Promise<void> }> {
  const loaded = await load('graphile-worker');
  const mod = loaded.mod as typeof GraphileWorker;
  const version = loaded.version;
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY + 2 });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const logger = new mod.Logger(() => () => undefined);
  const i0 = performance.now();
  await mod.runMigrations({ pgPool: pool, logger });
  const installMs = performance.now() - i0;
  const utils = await mod.makeWorkerUtils({ pgPool: pool, logger });
  let runner: GraphileWorker.Runner | undefined;
  const result = await measure(
    localQueue ? 'graphile-worker (local queue)' : 'graphile-worker',
    version,
    url,
    installMs,
    {
      enqueue: async (payload) => {
        await utils.addJob('noop', payload);
      },
      startWorker: async (onJob) => {
        runner = await mod.run({
          pgPool: pool,
          logger,
          concurrency: CONCURRENCY,
          noHandleSignals: true,
          ...(localQueue
            ? { preset: { worker: { localQueue: { size: CONCURRENCY + 1 }, completeJobBatchDelay: 0 } } }
            : {}),
          taskList: {
            noop: async (payload) => {
              onJob(payload as { sent: number });
            },
          },
        });
      },
    },
  );
  return {
    result,
    stop: async () => {
      await runner?.stop();
      await utils.release();
      await pool.end();
    },
  };
}

async function runPgBoss(url: string): Promise<{ result: Result; stop: () => Promise<void> }> {
  // pg-boss is not a dependency of the repository: the little of its API used here, typed by hand.
  interface PgBoss {
    on(event: 'error', listener: (err: Error) => void): void;
    start(): Promise<unknown>;
    stop(options: { graceful: boolean }): Promise<void>;
    createQueue(name: string, options: { notify: boolean }): Promise<void>;
    send(name: string, data: object): Promise<string | null>;
    work(
      name: string,
      options: { batchSize: number; burstWhenBatchFull: boolean },
      handler: (jobs: { data: { sent: number } }[]) => Promise<void>,
    ): Promise<string>;
  }
  type PB = {
    PgBoss: new (options: { connectionString: string; max: number; useListenNotify: boolean }) => PgBoss;
  };
  const loaded = await load('pg-boss');
  const mod = loaded.mod as PB;
  const version = loaded.version;
  const boss = new mod.PgBoss({ connectionString: url, max: CONCURRENCY + 2, useListenNotify: true });
  boss.on('error', () => undefined);
  const i0 = performance.now();
  await boss.start();
  await boss.createQueue('noop', { notify: true });
  const installMs = performance.now() - i0;
  const result = await measure('pg-boss', version, url, installMs, {
    enqueue: async (payload) => {
      await boss.send('noop', payload);
    },
    startWorker: async (onJob) => {
      // Batches of CONCURRENCY, fetched back to back while full: with one job per fetch, pg-boss waits its
      // polling interval between fetches (about 5 jobs/s for 10 workers).
      await boss.work('noop', { batchSize: CONCURRENCY, burstWhenBatchFull: true }, async (jobs) => {
        for (const job of jobs) onJob(job.data);
      });
    },
  });
  return { result, stop: () => boss.stop({ graceful: true }) };
}

async function child(queue: QueueName, url: string): Promise<void> {
  const run =
    queue === 'pg-boss'
      ? runPgBoss
      : queue === 'graphile-worker'
        ? (u: string) => runGraphile(u)
        : runGraphileLocalQueue;
  const { result, stop } = await run(url);
  await stop();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

async function parent(): Promise<void> {
  const admin = new pg.Client({ connectionString: values.url });
  await admin.connect();
  const results: Result[] = [];
  try {
    for (const queue of QUEUES.filter((q) => values.only === undefined || values.only.split(',').includes(q))) {
      const db = `novapos_jobsbench_${queue.replace(/[^a-z]+/g, '_')}_${Date.now()}`;
      await admin.query(`CREATE DATABASE ${db}`);
      try {
        const out = await new Promise<string>((resolve, reject) => {
          const p = spawn(
            process.execPath,
            [
              import.meta.filename,
              '--child',
              queue,
              '--db',
              withDatabase(values.url, db),
              '--jobs',
              values.jobs,
              '--modules',
              values.modules,
            ],
            { stdio: ['ignore', 'pipe', 'inherit'] },
          );
          let text = '';
          p.stdout.on('data', (c: Buffer) => (text += c.toString()));
          p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`${queue} exited with ${code}`))));
        });
        results.push(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Result);
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      }
    }
  } finally {
    await admin.end();
  }
  const rows: [string, (r: Result) => string][] = [
    ['version', (r) => r.version],
    ['schema install (ms)', (r) => String(r.installMs)],
    [`enqueue one job, p50 / p95 (ms)`, (r) => `${r.enqueueP50Ms} / ${r.enqueueP95Ms}`],
    ['enqueue rate, one at a time (jobs/s)', (r) => String(r.enqueuePerSecond)],
    [`run ${values.jobs} no-op jobs, ${CONCURRENCY} at a time (ms)`, (r) => String(r.drainMs)],
    ['throughput (jobs/s)', (r) => String(r.jobsPerSecond)],
    ['idle worker picks up a new job, p50 / p95 (ms)', (r) => `${r.pickupP50Ms} / ${r.pickupP95Ms}`],
    ['idle worker: CPU (ms per minute)', (r) => String(r.idleCpuMsPerMinute)],
    ['idle worker: database transactions per minute', (r) => String(r.idleTransactionsPerMinute)],
  ];
  const lines = [
    `| | ${results.map((r) => r.queue).join(' | ')} |`,
    `| --- | ${results.map(() => '---').join(' | ')} |`,
    ...rows.map(([label, f]) => `| ${label} | ${results.map(f).join(' | ')} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (values.child !== undefined && values.db !== undefined) await child(values.child as QueueName, values.db);
else await parent();

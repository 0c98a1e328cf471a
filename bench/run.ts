// `npm run bench` (full: 60 s per checkout concurrency) or `npm run bench -- --quick` (a smoke run for CI that
// judges correctness, never timings). See bench/README.md.
import { benchCheckout, checkoutBodies, verifyCheckout, type CheckoutRun } from './benchmarks/checkout.ts';
import { benchCompute } from './benchmarks/compute.ts';
import { benchTotals } from './benchmarks/totals.ts';
import { describeMachine } from './lib/machine.ts';
import { initPgbench, pgbenchVersion } from './lib/pgbench.ts';
import { writeResults, toMarkdown, type SuiteResult } from './lib/report.ts';
import { startServerForBench } from './lib/start.ts';
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

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL;
  log(
    `${quick ? 'quick' : 'full'} run; database: ${databaseUrl === undefined || databaseUrl === '' ? 'embedded' : 'DATABASE_URL'}`,
  );
  const totals = benchTotals(plan.totalsIterations);
  log(`totals engine: median ${totals.medianMs} ms`);
  const started = await startServerForBench();
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

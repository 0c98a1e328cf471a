// `npm run bench` (full: 60 s per checkout concurrency) or `npm run bench -- --quick` (a smoke run for CI that
// judges correctness, never timings). See bench/README.md.
import { cardCheckoutBodies, startGatewaySim, verifyCardCheckout } from './benchmarks/card-checkout.ts';
import { benchCatalog, catalogErrors } from './benchmarks/catalog.ts';
import { benchCheckout, checkoutBodies, verifyCheckout, type CheckoutRun } from './benchmarks/checkout.ts';
import { benchCompute } from './benchmarks/compute.ts';
import { benchReplay } from './benchmarks/replay.ts';
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
      cardConcurrency: 4,
      catalogProducts: 20_000,
      catalogSeconds: 3,
      catalogConcurrency: 1,
      replayTills: 20,
      replayPerTill: 25,
    }
  : {
      warmup: 10,
      checkoutSeconds: 60,
      computeSeconds: 20,
      concurrencies: [1, 16],
      computeConnections: 16,
      totalsIterations: 2000,
      cardConcurrency: 16,
      catalogProducts: 1_000_000,
      catalogSeconds: 20,
      catalogConcurrency: 1,
      replayTills: 20,
      replayPerTill: 500,
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
  // The card-processor simulator first: the server learns its address from GATEWAY_URL.
  const gatewaySim = await startGatewaySim();
  const started = await startServerForBench([], { GATEWAY_URL: gatewaySim.url });
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
    // Card checkout on 50 registers of its own, so the cash verification's per-register counts stay exact.
    const cardShop = await prepareShop(server.url, started.ownerUrl, started.tenantId, token, REGISTERS, SKUS);
    const card = await benchCheckout(
      cardShop,
      await cardCheckoutBodies(cardShop),
      pgbenchUrl,
      server.pid,
      plan.cardConcurrency,
      plan.warmup,
      plan.checkoutSeconds,
    );
    log(
      `card checkout c${plan.cardConcurrency}: ${card.run.load.okPerSecond} sales/s (pgbench ${card.run.pgbench.tps} TPS)`,
    );
    const cardVerification = await verifyCardCheckout(cardShop, card.createdIds, card.unansweredIds, gatewaySim.url);
    // Offline replay on registers of its own (each with a device key), so the checkout verifications stay exact.
    const replayShop = await prepareShop(server.url, started.ownerUrl, started.tenantId, token, plan.replayTills, SKUS);
    const replay = await benchReplay(replayShop, plan.replayTills, plan.replayPerTill);
    log(
      `offline replay: ${replay.sales} sales from ${replay.tills} tills in ${replay.seconds} s (${replay.salesPerSecond} sales/s), ` +
        `${replay.verification.duplicates} duplicates`,
    );
    // Last: loading the catalog's products changes the database the other benchmarks ran on.
    const catalog = await benchCatalog(server.url, started.ownerUrl, {
      products: plan.catalogProducts,
      concurrency: plan.catalogConcurrency,
      warmupSeconds: plan.warmup,
      seconds: plan.catalogSeconds,
    });
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
        card_concurrency: plan.cardConcurrency,
        catalog_products: plan.catalogProducts,
        catalog_s: plan.catalogSeconds,
        catalog_connections: plan.catalogConcurrency,
        replay_tills: plan.replayTills,
        replay_sales_per_till: plan.replayPerTill,
        compute_connections: plan.computeConnections,
        database_pool_max: process.env.DATABASE_POOL_MAX ?? '10 (default)',
        pgbench: 'scale 1, -M prepared, -j 2',
        log_level: 'warn',
      },
      totals,
      compute,
      checkout,
      verification,
      cardCheckout: { run: card.run, verification: cardVerification },
      replay,
      catalog,
    };
    const files = writeResults(result, import.meta.dirname);
    process.stdout.write(`${toMarkdown(result)}\nWrote ${files.json} and ${files.md}\n`);
    const errors = [
      ...verification.errors,
      ...cardVerification.errors,
      ...replay.verification.errors,
      ...catalogErrors(catalog),
    ];
    if (errors.length > 0) {
      log(`verification FAILED: ${errors.join('; ')}`);
      return 1;
    }
    return 0;
  } finally {
    await started.cleanup();
    await gatewaySim.stop();
  }
}

process.exitCode = await main();

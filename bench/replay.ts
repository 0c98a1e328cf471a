// `node bench/replay.ts [tills] [sales per till]`: the offline-replay benchmark alone (default 20 × 500 = 10,000
// sales), on its own server and embedded database (or DATABASE_URL), as in the full suite. See bench/README.md.
import { benchReplay, replayRows } from './benchmarks/replay.ts';
import { describeMachine } from './lib/machine.ts';
import { pgbenchVersion } from './lib/pgbench.ts';
import { startServerForBench } from './lib/start.ts';
import { ownerToken, prepareShop } from './lib/shop.ts';

const tills = Number(process.argv[2] ?? 20);
const perTill = Number(process.argv[3] ?? 500);
const started = await startServerForBench();
try {
  const { server } = started;
  const token = await ownerToken(server.url, started.email, started.password);
  const shop = await prepareShop(server.url, started.ownerUrl, started.tenantId, token, tills, 12);
  const result = await benchReplay(shop, tills, perTill);
  const machine = await describeMachine(started.ownerUrl, await pgbenchVersion());
  const rows = replayRows(result, false).map((row) => `| ${row.join(' | ')} |`);
  process.stdout.write(
    [
      `Run: ${machine.date}; ${machine.cpuModel}, ${machine.cores} cores; Node ${machine.node}; PostgreSQL ${machine.postgres}`,
      '',
      '| Benchmark | Result | Goal | Status |',
      '|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
  process.exitCode = result.verification.errors.length === 0 ? 0 : 1;
} finally {
  await started.cleanup();
}

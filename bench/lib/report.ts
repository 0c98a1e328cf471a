import fs from 'node:fs';
import path from 'node:path';
import { cardCheckoutRows, type CardVerification } from '../benchmarks/card-checkout.ts';
import { catalogRows, type CatalogResult } from '../benchmarks/catalog.ts';
import type { CheckoutRun, Verification } from '../benchmarks/checkout.ts';
import type { ComputeResult } from '../benchmarks/compute.ts';
import { replayRows, type ReplayResult } from '../benchmarks/replay.ts';
import type { TotalsResult } from '../benchmarks/totals.ts';
import type { Machine } from './machine.ts';

/** Everything one run of the suite measured. */
export interface SuiteResult {
  readonly mode: 'quick' | 'full';
  readonly machine: Machine;
  readonly settings: Record<string, string | number>;
  readonly totals: TotalsResult;
  readonly compute: ComputeResult;
  readonly checkout: readonly CheckoutRun[];
  readonly verification: Verification;
  readonly cardCheckout: { readonly run: CheckoutRun; readonly verification: CardVerification };
  readonly replay: ReplayResult;
  readonly catalog: CatalogResult;
}

const status = (ok: boolean, quick: boolean): string => (quick ? 'not judged (quick)' : ok ? 'met' : 'MISSED');

/** The results as Markdown: machine and settings, then one row per figure with its goal. */
export function toMarkdown(r: SuiteResult): string {
  const quick = r.mode === 'quick';
  const m = r.machine;
  const rows: string[][] = [
    [
      'totals engine, 1,000-line cart',
      `median ${r.totals.medianMs} ms (p99 ${r.totals.p99Ms} ms)`,
      '< 1 ms median',
      status(r.totals.medianMs < 1, quick),
    ],
    [
      `compute, 5 lines, c${r.compute.connections}`,
      `${r.compute.novapos.okPerSecond} req/s vs bare Fastify ${r.compute.bareFastify.okPerSecond} req/s = ${r.compute.ratio}×` +
        ` (p99 ${r.compute.novapos.p99Ms} ms vs ${r.compute.bareFastify.p99Ms} ms)`,
      '≥ 0.8×',
      status(r.compute.ratio >= 0.8, quick),
    ],
  ];
  const top = r.checkout.at(-1);
  for (const c of r.checkout) {
    const judged = c === top && !quick;
    rows.push([
      `checkout (cash), c${c.concurrency}`,
      `${c.load.okPerSecond} sales/s vs pgbench ${c.pgbench.tps} TPS = ${c.ratioToPgbench}×; ` +
        `p50 ${c.load.p50Ms} / p95 ${c.load.p95Ms} / p99 ${c.load.p99Ms} ms`,
      c.concurrency === 16 ? '≥ 0.7× pgbench, p99 ≤ 25 ms' : '(reference)',
      judged ? status(c.ratioToPgbench >= 0.7 && c.load.p99Ms <= 25, false) : quick ? status(true, true) : '—',
    ]);
  }
  const maxRss = Math.max(...r.checkout.map((c) => c.rssMb.max));
  rows.push(['memory: server RSS during checkout', `max ${maxRss} MB`, '< 250 MB', status(maxRss < 250, quick)]);
  const v = r.verification;
  rows.push([
    'checkout verification',
    `${v.counted201} sales counted; ${v.completedOrders} completed orders (${v.completedUnanswered} from requests cut off at a phase's end, ` +
      `${v.unexplainedOrders} unexplained), ${v.ordersFoundById} found by id, ` +
      `${v.auditEvents} audit, ${v.outboxEvents} outbox; receipt-number gaps ${v.receiptNumberGaps}; stock≠ledger ${v.stockMismatches}`,
    'all equal, 0, 0',
    v.errors.length === 0 ? 'passed' : `FAILED: ${v.errors.join('; ')}`,
  ]);
  rows.push(
    ...cardCheckoutRows(r.cardCheckout.run, r.cardCheckout.verification, quick),
    ...replayRows(r.replay, quick),
    ...catalogRows(r.catalog, quick),
  );
  const table = [
    '| Benchmark | Result | Goal | Status |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
  const settings = Object.entries(r.settings)
    .map(([k, val]) => `${k}=${val}`)
    .join(', ');
  return [
    `Run: **${r.mode}**, ${m.date}`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres}; ${m.pgbench}`,
    '',
    `Settings: ${settings}`,
    '',
    ...table,
    '',
  ].join('\n');
}

/** Writes bench/results/<timestamp>-<mode>.json and .md, and the latest-results section of bench/README.md. */
export function writeResults(r: SuiteResult, benchDir: string): { json: string; md: string } {
  const stamp = r.machine.date.replace(/[:.]/g, '-');
  const dir = path.join(benchDir, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, `${stamp}-${r.mode}.json`);
  const md = path.join(dir, `${stamp}-${r.mode}.md`);
  const markdown = toMarkdown(r);
  fs.writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  fs.writeFileSync(md, `# NovaPOS benchmark results\n\n${markdown}`);
  const readme = path.join(benchDir, 'README.md');
  const marker = new RegExp(`(<!-- results:${r.mode}:start -->)[\\s\\S]*?(<!-- results:${r.mode}:end -->)`);
  if (fs.existsSync(readme)) {
    const text = fs.readFileSync(readme, 'utf8');
    const file = `[results/${path.basename(md)}](results/${path.basename(md)})`;
    fs.writeFileSync(readme, text.replace(marker, `$1\n\nFrom ${file}.\n\n${markdown}\n$2`));
  }
  return { json, md };
}

import {
  ADJECTIVES,
  BRANDS,
  NOUNS,
  barcodeOf,
  createCatalogTenant,
  loadCatalog,
  type CatalogLoad,
} from '../lib/catalog-data.ts';
import { ownerToken } from '../lib/shop.ts';
import { runTimedGets, summarize, type TimedRequest, type TimedSummary } from '../lib/timed-get.ts';

/** Barcode lookups and name searches against a tenant of `products` generated products, server-side timing. */
export interface CatalogResult extends CatalogLoad {
  readonly concurrency: number;
  readonly seconds: number;
  /** All lookups (goal: server p99 < 2 ms), then hits (200) and misses (422 unknown_barcode) apart. */
  readonly lookup: TimedSummary;
  readonly lookupHits: TimedSummary;
  readonly lookupMisses: TimedSummary;
  /** All searches (goal: server p99 < 20 ms), then per kind of term. */
  readonly search: TimedSummary;
  readonly searchByKind: Record<string, TimedSummary>;
}

/** A deterministic pseudo-random sequence, so two runs send the same mix. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** 10 % misses (13 digits starting 5, which no loaded barcode does), the rest barcodes of random variants. */
export function lookupMix(products: number, count = 2000): TimedRequest[] {
  const random = lcg(7);
  return Array.from({ length: count }, (_, i) => {
    if (i % 10 === 9) {
      const miss = `5${String(Math.floor(random() * 1e12)).padStart(12, '0')}`;
      return { path: `/v1/products/lookup?barcode=${miss}`, group: 'miss' };
    }
    const g = 1 + Math.floor(random() * products);
    const k = g % 10 === 0 ? Math.floor(random() * 3) : 0;
    return { path: `/v1/products/lookup?barcode=${barcodeOf(g, k)}`, group: 'hit' };
  });
}

/**
 * What people type into the back office and the till's search box, first page (50) each, weighted as a day's mix
 * might be: brand names and brand + word (selective), product words (common: 2–2.5 % of the catalog each; sizes
 * like `pack` 25 %), the first letters of a word as one types, misspellings (trigram similarity), SKU prefixes and
 * words nothing matches.
 */
export function searchMix(): TimedRequest[] {
  const random = lcg(11);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const lower = (s: string): string => s.toLowerCase();
  const terms: { kind: string; weight: number; make: () => string }[] = [
    { kind: 'selective word', weight: 20, make: () => lower(pick(BRANDS)) },
    { kind: 'selective phrase', weight: 10, make: () => lower(`${pick(BRANDS)} ${pick(ADJECTIVES)}`) },
    { kind: 'common word', weight: 15, make: () => lower(pick([...NOUNS, ...ADJECTIVES])) },
    { kind: 'very common word', weight: 5, make: () => pick(['pack', '500 g', 'sauce', 'cream']) },
    { kind: 'prefix', weight: 20, make: () => lower(pick([...NOUNS, ...ADJECTIVES, ...BRANDS]).slice(0, 4)) },
    { kind: 'misspelling', weight: 10, make: () => pick(['chocolat', 'cofee', 'yoghurt', 'mayonaise', 'expresso']) },
    { kind: 'sku prefix', weight: 10, make: () => `bn${String(Math.floor(random() * 1e5)).padStart(5, '0')}` },
    { kind: 'no match', weight: 10, make: () => pick(['zzyzx', 'qwertyuiop', 'xylophone', 'kumquat jelly']) },
  ];
  const requests: TimedRequest[] = [];
  for (let i = 0; i < 20; i++) {
    for (const t of terms) {
      for (let w = 0; w < t.weight; w++) {
        requests.push({ path: `/v1/products?q=${encodeURIComponent(t.make())}`, group: t.kind });
      }
    }
  }
  // Shuffled, so a slow kind does not come in bursts.
  for (let i = requests.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [requests[i], requests[j]] = [requests[j] as TimedRequest, requests[i] as TimedRequest];
  }
  return requests;
}

/**
 * Makes a fresh tenant, loads `products` products into it (set-based SQL, then ANALYZE), signs in as its owner,
 * then measures barcode lookups and searches over HTTP, `seconds` each after `warmupSeconds`, at `concurrency`.
 */
export async function benchCatalog(
  url: string,
  ownerUrl: string,
  opts: { products: number; concurrency: number; warmupSeconds: number; seconds: number },
): Promise<CatalogResult> {
  const tenant = await createCatalogTenant(ownerUrl);
  const load = await loadCatalog(ownerUrl, tenant.tenantId, opts.products);
  const token = await ownerToken(url, tenant.email, tenant.password);
  const lookups = lookupMix(opts.products);
  const searches = searchMix();
  await runTimedGets(url, token, lookups, opts.concurrency, opts.warmupSeconds);
  const l = await runTimedGets(url, token, lookups, opts.concurrency, opts.seconds);
  await runTimedGets(url, token, searches, opts.concurrency, opts.warmupSeconds);
  const s = await runTimedGets(url, token, searches, opts.concurrency, opts.seconds);
  const kinds = [...new Set(searches.map((r) => r.group))];
  return {
    ...load,
    concurrency: opts.concurrency,
    seconds: opts.seconds,
    lookup: summarize(l.samples, l.elapsedSeconds),
    lookupHits: summarize(l.samples, l.elapsedSeconds, (x) => x.group === 'hit'),
    lookupMisses: summarize(l.samples, l.elapsedSeconds, (x) => x.group === 'miss'),
    search: summarize(s.samples, s.elapsedSeconds),
    searchByKind: Object.fromEntries(
      kinds.map((k) => [k, summarize(s.samples, s.elapsedSeconds, (x) => x.group === k)]),
    ),
  };
}

/** Statuses other than the expected ones (lookups: 200 hit, 422 miss; searches: 200): each is an error. */
export function catalogErrors(r: CatalogResult): string[] {
  const errors: string[] = [];
  const unexpected = (what: string, s: TimedSummary, ok: string): void => {
    const bad = Object.entries(s.statuses).filter(([status]) => status !== ok);
    if (bad.length > 0) errors.push(`${what}: ${bad.map(([st, n]) => `${n}× ${st}`).join(', ')}`);
    if (s.requests === 0) errors.push(`${what}: no request answered`);
  };
  unexpected('barcode hits', r.lookupHits, '200');
  unexpected('barcode misses', r.lookupMisses, '422');
  unexpected('searches', r.search, '200');
  return errors;
}

const status = (ok: boolean, quick: boolean): string => (quick ? 'not judged (quick)' : ok ? 'met' : 'MISSED');
const fmt = (s: TimedSummary): string =>
  `server p50 ${s.serverP50Ms} / p95 ${s.serverP95Ms} / p99 ${s.serverP99Ms} ms (client p99 ${s.clientP99Ms} ms), ${s.perSecond} req/s`;

/** Rows for the results table: Benchmark | Result | Goal | Status. */
export function catalogRows(r: CatalogResult, quick: boolean): string[][] {
  const size = `${r.products.toLocaleString('en-US')} products`;
  const rows: string[][] = [
    [
      `catalog load, ${size}`,
      `${r.variants} variants, ${r.barcodes} barcodes in ${r.loadSeconds} s (SQL, generate_series) + VACUUM (ANALYZE) ${r.analyzeSeconds} s`,
      '(setup)',
      '—',
    ],
    [
      `catalog: barcode lookup, ${size}, c${r.concurrency}`,
      `${fmt(r.lookup)}; hits p99 ${r.lookupHits.serverP99Ms} ms, misses p99 ${r.lookupMisses.serverP99Ms} ms`,
      'server p99 < 2 ms',
      status(r.lookup.serverP99Ms < 2, quick),
    ],
    [
      `catalog: name search, ${size}, c${r.concurrency}`,
      `${fmt(r.search)}; p99 by kind: ${Object.entries(r.searchByKind)
        .map(([k, s]) => `${k} ${s.serverP99Ms}`)
        .join(', ')} ms`,
      'server p99 < 20 ms',
      status(r.search.serverP99Ms < 20, quick),
    ],
  ];
  const errors = catalogErrors(r);
  rows.push([
    'catalog verification',
    'answers: lookups 200/422, searches 200',
    'no other status',
    errors.length === 0 ? 'passed' : `FAILED: ${errors.join('; ')}`,
  ]);
  return rows;
}

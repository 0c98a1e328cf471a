/**
 * A long outage (issue 13 §3): the till sells `OUTAGE_SALES` cash sales (50 in the e2e suite; 1,000 for the figure
 * in bench/README.md: `npm run bench:outage`) with the network cut, its clock moving 8 hours over them, then the
 * network comes back. Every sale must reach the server exactly once, in the order it was made, with the till's
 * time kept as `created_offline_at`. The time from reconnecting to "All sales sent" is measured, not judged here.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiAs, launchBrowser, newTillContext, ROOT } from './harness.ts';
import { demoItems, demoRegister, openTill, scan, type DemoItem } from './till.helpers.ts';

const SALES = Number(process.env.OUTAGE_SALES ?? 50);
const OUTAGE_MS = 8 * 3600_000;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let items: DemoItem[];

beforeAll(async () => {
  browser = await launchBrowser();
  // Five items with plenty of stock, so no replayed sale is short.
  items = (await demoItems()).slice(0, 5);
  const owner = await apiAs('owner');
  const locations = await owner('GET', '/v1/locations');
  const registerId = demoRegister().registerId;
  const location = (locations.body as { data: { id: string; registers?: { id: string }[] }[] }).data.find((l) =>
    (l.registers ?? []).some((r) => r.id === registerId),
  );
  const registers = await owner('GET', '/v1/registers?limit=200');
  const locationId =
    location?.id ??
    (registers.body as { data: { id: string; location_id: string }[] }).data.find((r) => r.id === registerId)
      ?.location_id;
  const stocked = await owner('POST', '/v1/inventory/adjustments', {
    location_id: locationId,
    lines: items.map((i) => ({ sku: i.sku, delta: SALES + 10, reason: 'receipt', note: 'outage test stock' })),
  });
  expect(stocked.status).toBeLessThan(300);
  context = await newTillContext(browser);
  // The till's clock is Playwright's: it runs as usual, and jumps forward between the outage's sales.
  await context.clock.install({ time: new Date() });
  page = await context.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[pageerror] ${e.message}\n`));
  await openTill(page);
});

afterAll(async () => {
  await browser.close();
});

/** The orders of the demo register since `from`, every page. */
async function ordersSince(from: string): Promise<Record<string, unknown>[]> {
  const api = await apiAs('owner');
  const out: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ register_id: demoRegister().registerId, from, limit: '200' });
    if (cursor !== null) query.set('cursor', cursor);
    const res = await api('GET', `/v1/orders?${query.toString()}`);
    const page = res.body as { data: Record<string, unknown>[]; next_cursor: string | null };
    out.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return out;
}

test(
  `${SALES} sales made over an 8-hour outage reach the server exactly once, in order`,
  async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Offline');
    const saleIds: string[] = [];
    const started = performance.now();
    for (let i = 0; i < SALES; i++) {
      // The outage's 8 hours pass between its first sale and its last.
      if (i > 0) await context.clock.fastForward(Math.floor(OUTAGE_MS / Math.max(SALES - 1, 1)));
      const item = items[i % items.length];
      if (item === undefined) throw new Error('no item');
      await scan(page, item.barcodes[0] ?? '');
      await expect.poll(() => page.getByTestId('cart-lines').locator('li.line').count()).toBe(1);
      await page.keyboard.press('F8');
      await page.keyboard.press('Enter'); // exact cash
      const done = page.locator('main.done');
      await done.waitFor();
      saleIds.push((await done.getAttribute('data-sale-id')) ?? '');
      await page.keyboard.press('Enter'); // new sale
      await done.waitFor({ state: 'detached' });
    }
    const sellingSeconds = (performance.now() - started) / 1000;
    await expect
      .poll(() => page.getByTestId('queue').textContent())
      .toBe(`${SALES} sale${SALES === 1 ? '' : 's'} waiting to send`);
    expect(new Set(saleIds).size).toBe(SALES);

    const reconnected = performance.now();
    await context.setOffline(false);
    await expect
      .poll(() => page.getByTestId('queue').textContent(), { timeout: 60_000 + SALES * 200, interval: 250 })
      .toBe('All sales sent');
    const syncSeconds = (performance.now() - reconnected) / 1000;

    const orders = (await ordersSince(from)).filter((o) => saleIds.includes(o['id'] as string));
    expect(orders).toHaveLength(SALES);
    expect(new Set(orders.map((o) => o['id'])).size).toBe(SALES);
    expect(orders.every((o) => o['status'] === 'completed')).toBe(true);
    // In order: the server numbered the receipts in the order the sales were made, and kept each sale's own time.
    const byId = new Map(orders.map((o) => [o['id'] as string, o]));
    const numbers = saleIds.map((id) => byId.get(id)?.['number'] as number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    const offlineTimes = saleIds.map((id) => Date.parse(byId.get(id)?.['created_offline_at'] as string));
    expect(offlineTimes.every((t) => Number.isFinite(t))).toBe(true);
    expect(offlineTimes).toEqual([...offlineTimes].sort((a, b) => a - b));
    const spanHours = ((offlineTimes.at(-1) ?? 0) - (offlineTimes[0] ?? 0)) / 3600_000;
    expect(spanHours).toBeGreaterThan(7.5);

    process.stderr.write(
      `[outage] ${SALES} sales over ${spanHours.toFixed(2)} h of till time: selling ${sellingSeconds.toFixed(1)} s, ` +
        `sync after reconnecting ${syncSeconds.toFixed(1)} s, ${SALES} orders, 0 duplicates\n`,
    );
    if (process.env.OUTAGE_RESULTS === '1') {
      const file = path.join(ROOT, 'bench', 'web', 'outage-results.json');
      const result = {
        date: new Date().toISOString(),
        sales: SALES,
        till_hours: Number(spanHours.toFixed(2)),
        selling_seconds: Number(sellingSeconds.toFixed(1)),
        sync_seconds: Number(syncSeconds.toFixed(1)),
        orders: orders.length,
        duplicates: orders.length - new Set(orders.map((o) => o['id'])).size,
      };
      fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    }
  },
  120_000 + SALES * 1_000,
); // a safety net for a long run (1,000 sales), never a goal

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { apiAs, launchBrowser, newTillContext, screenshot } from './harness.ts';
import { cents, demoItems, demoRegister, openTill, scan, serverOrder, type DemoItem } from './till.helpers.ts';

let browser: Browser;
let context: BrowserContext;
let page: Page;
let items: DemoItem[];

afterEach(async () => {
  await context.setOffline(false);
});

beforeAll(async () => {
  browser = await launchBrowser();
  items = await demoItems();
  context = await newTillContext(browser);
  page = await context.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[pageerror] ${e.message}\n`));
  await openTill(page);
});
afterAll(async () => {
  await browser.close();
});

/** How many orders the server holds with this id (0 or 1: the id is the primary key, but we count). */
const since = new Date(Date.now() - 60_000).toISOString();
async function ordersWithId(id: string): Promise<number> {
  const api = await apiAs('owner');
  const query = `register_id=${demoRegister().registerId}&from=${encodeURIComponent(since)}&limit=200`;
  const res = await api('GET', `/v1/orders?${query}`);
  return (res.body as { data: { id: string }[] }).data.filter((o) => o.id === id).length;
}

test('the network is cut during a sale: it completes, waits in the queue, and reaches the server once', async () => {
  const [item, other] = [items[11], items[13]];
  if (item === undefined || other === undefined) throw new Error('no item');
  await scan(page, item.barcodes[0] ?? '');
  await expect.poll(() => page.getByTestId('cart-lines').locator('li.line').count()).toBe(1);
  await context.setOffline(true);
  await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Offline');
  // Still selling from the cached catalog while offline.
  await scan(page, other.barcodes[0] ?? '');
  await expect.poll(() => page.getByTestId('cart-lines').locator('li.line').count()).toBe(2);
  const total = cents(await page.getByTestId('total').textContent());
  await page.keyboard.press('F8');
  await page.keyboard.press('Enter'); // exact cash
  await expect.poll(() => page.getByTestId('receipt').textContent()).toContain('Paid (cash)');
  await expect.poll(() => page.getByTestId('queue').textContent()).toBe('1 sale waiting to send');
  await screenshot(page, 'pos-offline-queued');
  const id = (await page.locator('main.done').getAttribute('data-sale-id')) ?? '';
  expect(await serverOrder(id)).toBeUndefined();

  await context.setOffline(false);
  await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 30_000 }).toBe('All sales sent');
  await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Online');
  expect(await serverOrder(id)).toMatchObject({ status: 'completed', total_cents: total });
  expect(await ordersWithId(id)).toBe(1);
  await page.keyboard.press('Enter');
});

test('a sale whose answer is lost is sent again and still exists exactly once', async () => {
  const item = items[12];
  if (item === undefined) throw new Error('no item');
  // The server receives and completes the order, but the answer never reaches the till.
  let delivered = 0;
  await page.route('**/v1/orders', async (route) => {
    if (route.request().method() !== 'POST' || delivered > 0) return route.continue();
    delivered++;
    await route.fetch();
    await route.abort('internetdisconnected');
  });
  await scan(page, item.barcodes[0] ?? '');
  await page.keyboard.press('F8');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('receipt').textContent()).toContain('Paid (cash)');
  const id = (await page.locator('main.done').getAttribute('data-sale-id')) ?? '';
  expect(delivered).toBe(1);
  expect(await ordersWithId(id)).toBe(1);
  await page.unroute('**/v1/orders');
  // The till queued it; the next send replays the same client id and Idempotency-Key: the first order comes back.
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect
    .poll(() => page.getByTestId('queue').textContent(), { timeout: 20_000 })
    .toBe('All sales sent')
    .catch(async (err: unknown) => {
      const queue = await page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve) => {
          const req = indexedDB.open('novapos-till');
          req.onsuccess = () => resolve(req.result);
        });
        return new Promise((resolve) => {
          const req = db.transaction('queue').objectStore('queue').getAll();
          req.onsuccess = () => resolve(req.result);
        });
      });
      process.stderr.write(`queue: ${JSON.stringify(queue)}\n`);
      throw err;
    });
  expect(await ordersWithId(id)).toBe(1);
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, newTillContext } from './harness.ts';
import { cents, demoItems, openTill, scan, serverOrder, type DemoItem } from './till.helpers.ts';

// Issue 13 §1.1: reloading on "Sale complete" brought the sold cart back ("Pay $2.37"), and paying it again failed
// with idempotency_key_reused. A completed sale must never come back as a cart.

let browser: Browser;
let page: Page;
let items: DemoItem[];

beforeAll(async () => {
  browser = await launchBrowser();
  items = await demoItems();
  page = await (await newTillContext(browser)).newPage();
  page.on('pageerror', (e) => process.stderr.write(`[pageerror] ${e.message}\n`));
  await openTill(page);
});
afterAll(async () => {
  await browser.close();
});

test('a reload on the receipt keeps the receipt; the sold cart never comes back, and the next sale pays', async () => {
  const [item, other] = [items[3], items[4]];
  if (item === undefined || other === undefined) throw new Error('no item');
  await scan(page, item.barcodes[0] ?? '');
  await expect.poll(() => page.getByTestId('cart-lines').locator('li.line').count()).toBe(1);
  await page.keyboard.press('F8');
  await page.keyboard.press('Enter'); // exact cash
  await expect.poll(() => page.getByRole('heading', { name: 'Sale complete' }).isVisible()).toBe(true);
  const soldId = (await page.locator('main.done').getAttribute('data-sale-id')) ?? '';
  await expect.poll(async () => (await serverOrder(soldId))?.status).toBe('completed');

  // At once: no debounce window in which the old cart is still the one saved.
  await page.reload();
  await expect.poll(() => page.getByRole('heading', { name: 'Sale complete' }).isVisible()).toBe(true);
  expect(await page.locator('main.done').getAttribute('data-sale-id')).toBe(soldId);
  expect(await page.getByTestId('receipt').textContent()).toContain('Paid (cash)');

  // New sale: an empty cart with a new id; a second reload keeps it empty.
  await page.keyboard.press('n');
  await expect.poll(() => page.getByTestId('cart-lines').textContent()).toContain('Scan a barcode');
  await page.reload();
  await page.locator('.statusbar').waitFor();
  await expect.poll(() => page.getByTestId('cart-lines').textContent()).toContain('Scan a barcode');
  expect(await page.locator('button.pay').textContent()).toContain('$0.00');

  // The next sale is a new order, not the old id again.
  await scan(page, other.barcodes[0] ?? '');
  await expect.poll(() => page.getByTestId('cart-lines').locator('li.line').count()).toBe(1);
  const total = cents(await page.getByTestId('total').textContent());
  await page.keyboard.press('F8');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByRole('heading', { name: 'Sale complete' }).isVisible()).toBe(true);
  const nextId = (await page.locator('main.done').getAttribute('data-sale-id')) ?? '';
  expect(nextId).not.toBe(soldId);
  expect(await serverOrder(nextId)).toMatchObject({ status: 'completed', total_cents: total });
  await page.keyboard.press('n');
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, newTillContext } from './harness.ts';
import { demoItems, openTill, scan, serverOrder, type DemoItem } from './till.helpers.ts';

// A sale the discounts take whole (a 100 % discount: a gift, a staff comp) costs nothing: it completes with no
// payment. Before, a cash tender of 0 was refused at the till and an order without tenders was parked.

let browser: Browser;
let page: Page;
let items: DemoItem[];

beforeAll(async () => {
  browser = await launchBrowser();
  items = await demoItems();
  page = await (await newTillContext(browser)).newPage();
  // A manager: no discount limit, so no approval is asked.
  await openTill(page, 'manager');
});
afterAll(async () => {
  await browser.close();
});

test('a sale with a 100 % discount completes with nothing to pay, and the server has it completed', async () => {
  const item = items[8];
  if (item === undefined) throw new Error('no item');
  await scan(page, item.barcodes[0] ?? '');
  await expect.poll(() => page.getByTestId('cart-lines').locator('li.line').count()).toBe(1);
  await page.keyboard.press('F4');
  await page.keyboard.type('100');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('total').textContent()).toBe('$0.00');
  await page.keyboard.press('F8');
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Nothing to pay');
  await page.keyboard.press('Enter');
  const done = page.locator('main.done');
  await done.waitFor();
  const id = (await done.getAttribute('data-sale-id')) ?? '';
  await expect.poll(async () => (await serverOrder(id))?.['status']).toBe('completed');
  expect(await serverOrder(id)).toMatchObject({ total_cents: 0, paid_cents: 0 });
});

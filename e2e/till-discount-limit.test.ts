import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, newTillContext } from './harness.ts';
import { demoItems, openTill, scan, type DemoItem } from './till.helpers.ts';

// Issue 13 §1.7: the dialog said "You may give up to 10 %", then asked a manager for 5 % on a line under a 10 %
// order discount (14.5 % stacked). The rule is said the way the server applies it, before the cashier types.

let browser: Browser;
let page: Page;
let items: DemoItem[];

beforeAll(async () => {
  browser = await launchBrowser();
  items = await demoItems();
  page = await (await newTillContext(browser)).newPage();
  await openTill(page);
});
afterAll(async () => {
  await browser.close();
});

test('the line discount dialog says the limit is per line, both discounts together, and shows the stacked one', async () => {
  const item = items[6];
  if (item === undefined) throw new Error('no item');
  await scan(page, item.barcodes[0] ?? '');
  await expect.poll(() => page.getByTestId('cart-lines').locator('li.line').count()).toBe(1);
  await page.keyboard.press('F4');
  await page.keyboard.type('10');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('.totals').textContent()).toContain('Discount 10 %');

  await page.getByRole('button', { name: `Discount on ${item.name}` }).click();
  const dialog = page.getByRole('dialog');
  // Before typing: the rule as the server applies it.
  await expect
    .poll(() => dialog.textContent())
    .toContain('Your limit is 10 % in total per line, line and order discounts combined');
  await page.keyboard.type('5');
  await expect.poll(() => dialog.textContent()).toContain('this line would get 14.5 %');
  expect(await dialog.getByLabel('Manager PIN').isVisible()).toBe(true);
  expect(await dialog.textContent()).not.toContain('You may give up to');
  await page.keyboard.press('Escape');
});

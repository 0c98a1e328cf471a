import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiAs, demoUser, launchBrowser, newTillContext } from './harness.ts';
import { cents, demoItems, demoRegister, openTill, scan, type DemoItem } from './till.helpers.ts';

// Issue 13 §1.3: after "Sign out" the next cashier saw the previous cashier's cart. Signing out parks it under the
// cashier's name; a parked sale is deleted only with a reason.

let browser: Browser;
let page: Page;
let items: DemoItem[];
const since = new Date(Date.now() - 60_000).toISOString();

beforeAll(async () => {
  browser = await launchBrowser();
  items = await demoItems();
  page = await (await newTillContext(browser)).newPage();
  page.on('pageerror', (e) => process.stderr.write(`[pageerror] ${e.message}\n`));
  await openTill(page, 'cashier');
});
afterAll(async () => {
  await browser.close();
});

test('the next cashier starts with an empty cart and finds the last one parked under its cashier', async () => {
  const item = items[2];
  if (item === undefined) throw new Error('no item');
  const cashierName = ((await (await apiAs('cashier'))('GET', '/v1/me')).body as { display_name: string }).display_name;
  await scan(page, item.barcodes[0] ?? '');
  await expect.poll(() => page.getByTestId('cart-lines').locator('li.line').count()).toBe(1);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('PIN').fill(demoUser('manager').pin);
  await page.keyboard.press('Enter');
  await page.locator('.statusbar').waitFor();
  await expect.poll(() => page.getByTestId('cart-lines').textContent()).toContain('Scan a barcode');

  await page.keyboard.press('F7');
  const dialog = page.getByRole('dialog', { name: 'Parked sales' });
  await expect.poll(() => dialog.textContent()).toContain(cashierName);
  expect(await dialog.textContent()).toContain('Signed out');
  expect(await dialog.textContent()).toContain('1 line');

  // Deleting it needs a reason.
  await dialog.getByRole('button', { name: /^Delete/ }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete parked sale' });
  expect(await confirm.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(true);
  await confirm.getByLabel('Reason').fill('Customer left');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect
    .poll(() => page.getByRole('dialog', { name: 'Parked sales' }).textContent())
    .toContain('No parked sales');
  await page.getByRole('button', { name: 'Close (Esc)' }).click();
});

test('a parked sale with $5 cash taken is deleted only by cancelling it: the till says to give the cash back', async () => {
  const item = items.find((i) => i.unit_price_cents >= 300);
  if (item === undefined) throw new Error('no item');
  let total = 0;
  while (total <= 1000) {
    await scan(page, item.barcodes[0] ?? '');
    await expect.poll(async () => cents(await page.getByTestId('total').textContent())).toBeGreaterThan(total);
    total = cents(await page.getByTestId('total').textContent());
  }
  await page.keyboard.press('F8');
  await page.getByLabel('Amount', { exact: true }).fill('5');
  await page.keyboard.press('Enter');
  await page.getByLabel('Test card').selectOption('tok_declined');
  await page.getByRole('button', { name: /^Card/ }).click();
  await expect.poll(() => page.getByTestId('taken').textContent(), { timeout: 20_000 }).toContain('Cash $5.00');

  // Signing out parks it, payments and all.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('PIN').fill(demoUser('cashier').pin);
  await page.keyboard.press('Enter');
  await page.locator('.statusbar').waitFor();
  await expect.poll(() => page.getByTestId('cart-lines').textContent()).toContain('Scan a barcode');
  await page.keyboard.press('F7');
  const dialog = page.getByRole('dialog', { name: 'Parked sales' });
  await expect.poll(() => dialog.textContent()).toContain('$5.00 already paid');

  await dialog.getByRole('button', { name: /^Delete/ }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete parked sale' });
  await expect.poll(() => confirm.textContent()).toContain('Give back $5.00 cash');
  await confirm.getByLabel('Reason').fill('Customer walked out');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect
    .poll(() => page.getByRole('dialog', { name: 'Parked sales' }).textContent())
    .toContain('No parked sales');

  // The server cancelled the order with the reason and recorded the cash as given back.
  const api = await apiAs('owner');
  const query = `register_id=${demoRegister().registerId}&status=cancelled&from=${encodeURIComponent(since)}`;
  const cancelled = (await api('GET', `/v1/orders?${query}`)).body as {
    data: { cancel_reason: string; total_cents: number; tenders: { method: string; reversal: string | null }[] }[];
  };
  expect(cancelled.data.filter((o) => o.cancel_reason === 'Customer walked out')).toMatchObject([
    {
      cancel_reason: 'Customer walked out',
      total_cents: total,
      tenders: [{ method: 'cash', reversal: 'cash_returned' }],
    },
  ]);
});

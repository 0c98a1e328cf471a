import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiAs, launchBrowser, newTillContext } from './harness.ts';
import { cents, demoItems, demoRegister, openTill, scan, serverOrder, type DemoItem } from './till.helpers.ts';

// Issue 13 §1.2: $5 cash, then a declined card: the screen reset to the full amount, the next card was charged the
// full total and the $5 sat on a separate open order. Tenders taken stay on the sale; cancelling gives them back.

let browser: Browser;
let page: Page;
let items: DemoItem[];

beforeAll(async () => {
  browser = await launchBrowser();
  items = (await demoItems()).filter((i) => i.unit_price_cents >= 300);
  page = await (await newTillContext(browser)).newPage();
  page.on('pageerror', (e) => process.stderr.write(`[pageerror] ${e.message}\n`));
  await openTill(page);
});
afterAll(async () => {
  await browser.close();
});

/** Rings up items until the total is over $10, and opens payment; the total. */
async function saleOver10Dollars(from: number): Promise<number> {
  const item = items[from];
  if (item === undefined) throw new Error('no item');
  let total = 0;
  while (total <= 1000) {
    await scan(page, item.barcodes[0] ?? '');
    await expect.poll(async () => cents(await page.getByTestId('total').textContent())).toBeGreaterThan(total);
    total = cents(await page.getByTestId('total').textContent());
  }
  await page.keyboard.press('F8');
  await expect.poll(async () => cents(await page.getByTestId('remaining').textContent())).toBe(total);
  return total;
}

/** $5 in cash, then the simulator's declined card for the rest. */
async function fiveCashThenDeclined(total: number): Promise<void> {
  await page.getByLabel('Amount', { exact: true }).fill('5');
  await page.keyboard.press('Enter');
  await expect.poll(async () => cents(await page.getByTestId('remaining').textContent())).toBe(total - 500);
  await page.getByLabel('Test card').selectOption('tok_declined');
  await page.getByRole('button', { name: /^Card/ }).click();
  await expect
    .poll(() => page.locator('.tender [role=alert]').textContent(), { timeout: 20_000 })
    .toContain('declined');
}

/** Orders of this register since `from` that are still open with money on them. */
async function openOrdersWithMoney(from: string): Promise<unknown[]> {
  const api = await apiAs('owner');
  const query = `register_id=${demoRegister().registerId}&status=open&from=${encodeURIComponent(from)}&limit=200`;
  const res = await api('GET', `/v1/orders?${query}`);
  return (res.body as { data: { paid_cents: number }[] }).data.filter((o) => o.paid_cents > 0);
}

test('a declined card keeps the $5 cash on the sale; the next card pays only what is left', async () => {
  const started = new Date().toISOString();
  const total = await saleOver10Dollars(0);
  await fiveCashThenDeclined(total);
  // The cash stays taken and the sale still owes only the rest.
  await expect.poll(async () => cents(await page.getByTestId('remaining').textContent())).toBe(total - 500);
  expect(await page.getByTestId('taken').textContent()).toContain('Cash $5.00');

  await page.getByLabel('Test card').selectOption('tok_visa');
  await page.getByRole('button', { name: /^Card/ }).click();
  await expect
    .poll(() => page.getByTestId('receipt').textContent(), { timeout: 20_000 })
    .toContain('Paid (visa ****4242)');
  const id = (await page.locator('main.done').getAttribute('data-sale-id')) ?? '';
  const order = await serverOrder(id);
  expect(order).toMatchObject({ status: 'completed', total_cents: total, paid_cents: total });
  const tenders = (order?.tenders ?? []) as { method: string; applied_cents: number }[];
  expect(tenders.map((t) => [t.method, t.applied_cents])).toEqual([
    ['cash', 500],
    ['card', total - 500],
  ]);
  expect(await openOrdersWithMoney(started)).toEqual([]);
  await page.keyboard.press('n');
});

test('cancelling a sale with $5 taken says to give the cash back, and the server records it', async () => {
  const started = new Date().toISOString();
  const total = await saleOver10Dollars(1);
  await fiveCashThenDeclined(total);
  await page.getByRole('button', { name: 'Cancel sale…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this sale' });
  await expect.poll(() => dialog.textContent()).toContain('Give back $5.00 cash');
  await dialog.getByLabel('Reason').fill('Customer changed their mind');
  await dialog.getByRole('button', { name: 'Cancel the sale' }).click();
  await expect.poll(() => page.getByTestId('cart-lines').textContent()).toContain('Scan a barcode');
  expect(await page.locator('.cart [role=status]').textContent()).toContain('Give back $5.00 cash');
  expect(await openOrdersWithMoney(started)).toEqual([]);
  const api = await apiAs('owner');
  const query = `register_id=${demoRegister().registerId}&status=cancelled&from=${encodeURIComponent(started)}`;
  const cancelled = (await api('GET', `/v1/orders?${query}`)).body as {
    data: { cancel_reason: string; tenders: { method: string; reversal: string | null }[] }[];
  };
  const mine = cancelled.data.filter((o) => o.cancel_reason === 'Customer changed their mind');
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({
    cancel_reason: 'Customer changed their mind',
    tenders: [{ method: 'cash', reversal: 'cash_returned' }],
  });
});

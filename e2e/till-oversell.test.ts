import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs, demoUser, launchBrowser, newTillContext, screenshot } from './harness.ts';
import { inStoreEan13, newOfficeContext, openSection, runTag, signInAs } from './admin.helpers.ts';
import { demoRegister, openTill, scan, serverOrder } from './till.helpers.ts';

// Defect 5 of issue 13: a product created in the back office without stock could not be sold, the till said only
// "There is not enough stock for this sale", and the back office had said it "can be sold at the tills now".

let browser: Browser;
const SLOW = { timeout: 15_000, interval: 100 };
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

/** Creates a product in the back office (as the demo manager); `stock` fills the opening stock of the till's location. */
async function createProduct(name: string, sku: string, barcode: string, stock?: number): Promise<string> {
  const context = await newOfficeContext(browser);
  const page = await signInAs(context, 'manager');
  await openSection(page, 'Products');
  await page.getByRole('link', { name: 'New product' }).click();
  const form = page.getByRole('form', { name: 'New product' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('SKU').fill(sku);
  await form.getByLabel('Price (USD)').fill('30.00');
  await form.getByLabel('Barcodes').fill(barcode);
  if (stock !== undefined) {
    await form.getByLabel(`Opening stock at ${demoRegister().locationName}`).fill(String(stock));
  }
  await form.getByRole('button', { name: 'Create product' }).click();
  await page.getByRole('heading', { name }).waitFor();
  const message = (await page.getByTestId('created').innerText()).replace(/\s+/g, ' ');
  await context.close();
  return message;
}

/** Scans the item `times` times and pays in cash ($100), from a fresh till. */
async function sell(barcode: string, name: string, times: number): Promise<Page> {
  const context = await newTillContext(browser);
  const till = await context.newPage();
  await openTill(till, 'cashier');
  for (let i = 0; i < times; i++) {
    await scan(till, barcode);
    await expect.poll(() => till.getByTestId('cart-lines').textContent(), SLOW).toContain(name);
  }
  await expect.poll(() => till.getByLabel(`Quantity of ${name}`).inputValue(), SLOW).toBe(String(times));
  await till.keyboard.press('F8');
  await expect.poll(() => till.getByTestId('tender-total').textContent(), SLOW).toBeTruthy();
  await till.keyboard.type('100');
  await till.keyboard.press('Enter');
  return till;
}

describe('a new product at the till (issue 13, defect 5)', () => {
  test('created without stock: the back office says so; the till names the short line; a manager PIN sells it anyway', async () => {
    const tag = runTag();
    const name = `Linen shirt ${tag}`;
    const barcode = inStoreEan13(`${tag}1`);
    const message = await createProduct(name, `E2E-LINEN-${tag}`, barcode);
    expect(message).not.toContain('can be sold at the tills now');
    expect(message).toContain('No stock yet');

    const till = await sell(barcode, name, 3);
    const short = till.getByTestId('stock-short');
    await expect.poll(() => short.textContent(), SLOW).toContain(`${name} — 3 wanted, 0 in stock`);
    await screenshot(till, 'pos-stock-short');
    const saleId = await till.getByTestId('stock-short').getAttribute('data-sale-id');
    expect(await serverOrder(saleId ?? '')).toBeUndefined();

    // A wrong PIN approves nothing; the manager's does, and the sale goes through at once.
    await short.getByLabel('Manager PIN').fill(demoUser('cashier').pin);
    await short.getByRole('button', { name: 'Manager approval to sell anyway' }).click();
    await expect.poll(() => short.getByRole('alert').textContent(), SLOW).toContain('PIN');
    await short.getByLabel('Manager PIN').fill(demoUser('manager').pin);
    await short.getByRole('button', { name: 'Manager approval to sell anyway' }).click();
    await expect.poll(() => till.getByTestId('receipt').textContent(), SLOW).toContain('Paid (cash)');
    expect(await till.locator('main.done').getAttribute('data-sale-id')).toBe(saleId);

    const api = await apiAs('owner');
    await expect.poll(async () => (await serverOrder(saleId ?? ''))?.['status'], SLOW).toBe('completed');
    const audit = await api('GET', `/v1/audit/events?action=order.oversold&entity_id=${saleId ?? ''}`);
    const events = (audit.body as { data: { data: Record<string, unknown> }[] }).data;
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({
      manager_id: expect.any(String),
      lines: [expect.objectContaining({ name, requested: 3, available: 0 })],
    });
  });

  test('created with opening stock: the back office says where, and the till sells it without an approval', async () => {
    const tag = runTag();
    const name = `Wool scarf ${tag}`;
    const barcode = inStoreEan13(`${tag}2`);
    const message = await createProduct(name, `E2E-SCARF-${tag}`, barcode, 12);
    expect(message).toContain(`In stock at ${demoRegister().locationName}: 12`);

    const till = await sell(barcode, name, 2);
    await expect.poll(() => till.getByTestId('receipt').textContent(), SLOW).toContain('Paid (cash)');
    expect(await till.getByTestId('stock-short').count()).toBe(0);
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs, demoUser, launchBrowser, newTillContext, screenshot } from './harness.ts';
import { cents, demoItems, openTill, scan, serverOrder, typeSlowly, type DemoItem } from './till.helpers.ts';

let browser: Browser;
let page: Page;
let items: DemoItem[];

beforeAll(async () => {
  browser = await launchBrowser();
  items = await demoItems();
  const context = await newTillContext(browser);
  page = await context.newPage();
  await openTill(page);
});
afterAll(async () => {
  await browser.close();
});

/** The sale id the receipt screen shows, and the server's order under it. */
async function completedOrder(): Promise<Record<string, unknown>> {
  const id = await page.locator('main.done').getAttribute('data-sale-id');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  const order = await serverOrder(id ?? '');
  expect(order).toBeDefined();
  return order ?? {};
}

describe('the till', () => {
  test('a keyboard-only cash sale: two scans, one search, 10 % off, cash with change, the receipt', async () => {
    const [a, b] = items.filter((i) => i.tax_code === 'STD');
    const searched = items.find((i) => i !== a && i !== b && !i.name.includes('–'));
    if (a === undefined || b === undefined || searched === undefined)
      throw new Error('the demo shop has too few items');
    await screenshot(page, 'pos-sale-empty');

    await scan(page, a.barcodes[0] ?? '');
    await scan(page, b.barcodes[0] ?? '');
    await expect.poll(() => page.getByTestId('cart-lines').locator('li.line').count()).toBe(2);

    // A person types a search: the first hit is chosen with Enter.
    await page.keyboard.press('F2');
    await typeSlowly(page, searched.name);
    await expect.poll(() => page.locator('.product.highlighted .name').first().textContent()).toBe(searched.name);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('cart-lines').locator('li.line').count()).toBe(3);

    // An unknown barcode says so and adds nothing.
    await scan(page, '9999999999994');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Unknown barcode 9999999999994');
    expect(await page.getByTestId('cart-lines').locator('li.line').count()).toBe(3);

    await page.keyboard.press('F4');
    await page.keyboard.type('10');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.totals').textContent()).toContain('Discount 10 %');
    await screenshot(page, 'pos-sale-cart');
    const tillTotal = cents(await page.getByTestId('total').textContent());

    await page.keyboard.press('F8');
    await expect.poll(() => page.getByTestId('tender-total').textContent()).toBeTruthy();
    const paid = Math.ceil(tillTotal / 1000) * 1000 + 1000;
    await page.keyboard.type(String(paid / 100));
    await screenshot(page, 'pos-tender');
    await page.keyboard.press('Enter');

    const receipt = page.getByTestId('receipt');
    await expect.poll(() => receipt.textContent(), { timeout: 15_000 }).toContain('Paid (cash)');
    expect(await receipt.textContent()).toContain('Change');
    expect(cents(await page.getByTestId('change-due').textContent())).toBe(paid - tillTotal);
    await screenshot(page, 'pos-receipt');

    // The till's total is the server's, to the cent.
    const order = await completedOrder();
    expect(order).toMatchObject({ status: 'completed', total_cents: tillTotal, discount_percent_bp: 1000 });
    expect((order.items as unknown[]).length).toBe(3);

    // New sale in one key.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('cart-lines').textContent()).toContain('Scan a barcode');
  });

  test('split tender: part cash, the rest on a card through the processor', async () => {
    const item = items[5];
    if (item === undefined) throw new Error('no item');
    await scan(page, item.barcodes[0] ?? '');
    await scan(page, item.barcodes[0] ?? '');
    await expect.poll(() => page.getByLabel(`Quantity of ${item.name}`).inputValue()).toBe('2');
    const total = cents(await page.getByTestId('total').textContent());
    await page.keyboard.press('F8');
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    await expect.poll(async () => cents(await page.getByTestId('remaining').textContent())).toBe(total - 100);
    await page.getByRole('button', { name: /^Card/ }).click();
    const receipt = page.getByTestId('receipt');
    await expect.poll(() => receipt.textContent(), { timeout: 20_000 }).toContain('Paid (visa ****4242)');
    expect(await receipt.textContent()).toContain('Paid (cash)');
    const order = await completedOrder();
    const tenders = order.tenders as { method: string; applied_cents: number }[];
    expect(tenders.map((t) => [t.method, t.applied_cents])).toEqual([
      ['cash', 100],
      ['card', total - 100],
    ]);
    await page.keyboard.press('n');
  });

  test('a discount above the cashier limit needs a manager PIN, and the approval is audited', async () => {
    const item = items[7];
    if (item === undefined) throw new Error('no item');
    await scan(page, item.barcodes[0] ?? '');
    await page.keyboard.press('F4');
    await page.keyboard.type('25');
    const pinField = page.getByLabel('Manager PIN');
    await expect.poll(() => pinField.isVisible()).toBe(true);
    await screenshot(page, 'pos-discount-approval');
    // The cashier's own PIN does not approve.
    await pinField.fill(demoUser('cashier').pin);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.dialog .error').textContent()).toContain('That PIN is not right.');
    await pinField.fill(demoUser('manager').pin);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.totals').textContent()).toContain('Discount 25 %');
    expect(await page.locator('.approved').textContent()).toMatch(/Discounts approved by .+/);
    const total = cents(await page.getByTestId('total').textContent());
    await page.keyboard.press('F8');
    await page.keyboard.press('Enter'); // cash, exact
    await expect.poll(() => page.getByTestId('receipt').textContent(), { timeout: 15_000 }).toContain('Paid (cash)');
    const order = await completedOrder();
    expect(order).toMatchObject({ discount_percent_bp: 2500, total_cents: total });
    const audit = await (await apiAs('owner'))('GET', `/v1/audit/events?action=pos.discount_approved`);
    const events = (audit.body as { data: { entity_id: string; data: { discount_bp: number } }[] }).data;
    expect(events.find((e) => e.entity_id === order.id)?.data.discount_bp).toBe(2500);
    await page.keyboard.press('Enter');
  });

  test('a line discount (F3) within the limit, then an order discount that stacks above it needs a manager', async () => {
    const [first, second] = items.filter((i) => i.tax_code === 'STD').slice(2);
    if (first === undefined || second === undefined) throw new Error('no items');
    await scan(page, first.barcodes[0] ?? '');
    await scan(page, second.barcodes[0] ?? '');
    await expect.poll(() => page.getByTestId('cart-lines').locator('li.line').count()).toBe(2);
    // F3 discounts the last line: 5 % is within a cashier's 10 %.
    await page.keyboard.press('F3');
    await expect.poll(() => page.getByRole('dialog').getAttribute('aria-label')).toBe(`Discount on ${second.name}`);
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('line-discount').textContent()).toContain('Line discount 5 %');
    await expect.poll(() => page.locator('.totals').textContent()).toContain('Line discounts');
    // 8 % off the order alone is within the limit, but 5 % and 8 % stack to 12.6 % on that line.
    await page.keyboard.press('F4');
    await page.keyboard.type('8');
    await expect
      .poll(() => page.locator('.dialog').textContent())
      .toContain('the most discounted line would get 12.6 %');
    const pinField = page.getByLabel('Manager PIN');
    await expect.poll(() => pinField.isVisible()).toBe(true);
    await pinField.fill(demoUser('manager').pin);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.totals').textContent()).toContain('Discount 8 %');
    await screenshot(page, 'pos-line-discount');
    const total = cents(await page.getByTestId('total').textContent());
    await page.keyboard.press('F8');
    await page.keyboard.press('Enter'); // cash, exact
    const receipt = page.getByTestId('receipt');
    await expect.poll(() => receipt.textContent(), { timeout: 15_000 }).toContain('Paid (cash)');
    expect(await receipt.textContent()).toContain('Line discount (5%)');
    const order = await completedOrder();
    expect(order).toMatchObject({ discount_percent_bp: 800, total_cents: total });
    const lines = order.items as { discount_percent_bp: number; item_discount_cents: number }[];
    expect(lines.map((l) => l.discount_percent_bp)).toEqual([0, 500]);
    expect(lines[1]?.item_discount_cents).toBe(Math.round((second.unit_price_cents * 500) / 10_000));
    await page.keyboard.press('Enter');
  });
});

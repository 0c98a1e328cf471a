import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiAs, launchBrowser, newTillContext } from './harness.ts';
import { cents, demoItems, demoRegister, openTill, scan, type DemoItem } from './till.helpers.ts';

// An open till follows the back office: a price or a tax rate changed while a sale is on screen changes the till's
// total to what the server will charge (the delta feed reprices the cart; the pricing context is polled).

let browser: Browser;
let page: Page;
let item: DemoItem;

beforeAll(async () => {
  browser = await launchBrowser();
  const found = (await demoItems()).find((i) => i.tax_code === 'STD');
  if (found === undefined) throw new Error('no taxable demo item');
  item = found;
  page = await (await newTillContext(browser)).newPage();
  await openTill(page);
});
afterAll(async () => {
  await browser.close();
});

/** The till polls every 15 s; the browser's "online" event makes it poll now. */
async function pollNow(): Promise<void> {
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
}

/** What the server charges for this one-line cart at this register. */
async function serverTotal(): Promise<number> {
  const api = await apiAs('cashier');
  const res = await api('POST', '/v1/orders/compute', {
    register_id: demoRegister().registerId,
    items: [{ variant_id: item.variant_id, quantity: 1 }],
  });
  expect(res.status).toBe(200);
  return (res.body as { total_cents: number }).total_cents;
}

test('a price and a tax rate changed in the back office change the total of the sale on screen', async () => {
  const owner = await apiAs('owner');
  await scan(page, item.barcodes[0] ?? '');
  const tillTotal = async () => cents(await page.getByTestId('total').textContent());
  await expect.poll(tillTotal).toBe(await serverTotal());

  const price = item.unit_price_cents + 100;
  expect((await owner('PATCH', `/v1/variants/${item.variant_id}`, { price_cents: price })).status).toBe(200);
  const override = await owner('POST', '/v1/admin/tax_rate_overrides', {
    register_id: demoRegister().registerId,
    rate_bps: 1500,
  });
  expect(override.status).toBe(201);
  try {
    await pollNow();
    await expect.poll(async () => cents(await page.locator('li.line .amount').first().textContent())).toBe(price);
    const expected = await serverTotal();
    await expect.poll(tillTotal).toBe(expected);
    expect(expected).toBe(price + Math.round((price * 1500) / 10_000));
  } finally {
    await owner('DELETE', `/v1/admin/tax_rate_overrides/${(override.body as { id: string }).id}`);
    await owner('PATCH', `/v1/variants/${item.variant_id}`, { price_cents: item.unit_price_cents });
  }
  await pollNow();
  await expect.poll(tillTotal).toBe(await serverTotal());
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs, demoUser, launchBrowser, newTillContext, screenshot } from './harness.ts';
import { openTill, scan } from './till.helpers.ts';
import { inStoreEan13, newOfficeContext, openSection, runTag, signInAs } from './admin.helpers.ts';

let browser: Browser;
/** Polls a till screen for up to 15 s: CI machines are shared, and the default second is too tight there. */
const SLOW = { timeout: 15_000, interval: 100 };
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

describe('the back office', () => {
  test('signs in with e-mail and password; a wrong password gets a sentence and its code', async () => {
    const context = await newOfficeContext(browser);
    const page = await context.newPage();
    await page.goto('/admin/');
    await page.getByLabel('E-mail').fill(demoUser('owner').email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The e-mail or password is wrong.').waitFor();
    expect(await page.getByTestId('error-code').innerText()).toContain('invalid_credentials');
    await screenshot(page, 'admin-sign-in');
    await context.close();

    const signed = await newOfficeContext(browser);
    const dashboard = await signInAs(signed, 'owner');
    await dashboard.getByText('Sales today').waitFor();
    await dashboard.getByRole('img', { name: 'Sales by hour over the last 7 days' }).waitFor();
    await dashboard.getByTestId('low-stock').getByRole('table').waitFor();
    // The demo store has days of sales: the chart has bars.
    expect(await dashboard.locator('.chart rect.bar').count()).toBeGreaterThan(10);
    // A reload keeps the session (tokens in storage); signing out ends it.
    await dashboard.reload();
    await dashboard.getByText('Sales today').waitFor();
    await dashboard.getByRole('button', { name: 'Sign out' }).click();
    await dashboard.getByRole('button', { name: 'Sign in' }).waitFor();
    await signed.close();
  });

  test('a manager creates a product and stocks it, a cashier sells it at once, the sale shows in the back office', async () => {
    const tag = runTag();
    const sku = `E2E-LEMON-${tag}`;
    const barcode = inStoreEan13(tag);
    const name = `Lemonade ${tag}`;
    const context = await newOfficeContext(browser);
    const page = await signInAs(context, 'manager');

    await openSection(page, 'Products');
    await page.getByRole('link', { name: 'New product' }).click();
    const form = page.getByRole('form', { name: 'New product' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('SKU').fill(sku);
    await form.getByLabel('Variant name').fill('330 ml');
    await form.getByLabel('Price (USD)').fill('2.50');
    await form.getByLabel('Barcodes').fill(barcode);
    await form.getByRole('button', { name: 'Create product' }).click();
    await page.getByText('Product created.').waitFor();
    await page.getByRole('heading', { name }).waitFor();
    await screenshot(page, 'admin-product');

    await openSection(page, 'Stock');
    await page.getByRole('button', { name: 'Adjust stock' }).click();
    const dialog = page.getByRole('dialog', { name: 'Adjust stock' });
    await dialog.getByLabel('SKU').fill(sku);
    await dialog.getByLabel('Change').fill('12');
    await screenshot(page, 'admin-stock-adjust');
    await dialog.getByRole('button', { name: 'Save adjustment' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByPlaceholder('SKU or product name').fill(sku);
    await page.getByRole('cell', { name: sku }).first().waitFor();

    // The cashier sells it straight away at the till: the till is set up on a fresh device, caches the catalog
    // (the new product with it), and the barcode the manager typed is scanned.
    const tillContext = await newTillContext(browser);
    const till = await tillContext.newPage();
    await openTill(till, 'cashier');
    await scan(till, barcode);
    await expect.poll(() => till.getByTestId('cart-lines').textContent(), SLOW).toContain(name);
    await scan(till, barcode);
    // Two at 2.50 with the demo store's 8 % tax: the till's total before anything is sent.
    await expect.poll(() => till.getByTestId('total').textContent(), SLOW).toContain('$5.40');
    await till.keyboard.press('F8');
    await expect.poll(() => till.getByTestId('tender-total').textContent(), SLOW).toBeTruthy();
    await till.keyboard.type('10');
    await till.keyboard.press('Enter');
    await expect.poll(() => till.getByTestId('receipt').textContent(), SLOW).toContain('Paid (cash)');
    const saleId = (await till.locator('main.done').getAttribute('data-sale-id')) ?? '';
    await tillContext.close();
    const api = await apiAs('manager');
    // The till sends a sale from its queue; online that is at once, but not necessarily before the receipt shows.
    await expect.poll(async () => (await api('GET', `/v1/orders/${saleId}`)).status, SLOW).toBe(200);
    const sold = await api('GET', `/v1/orders/${saleId}`);
    const order = sold.body as {
      id: string;
      status: string;
      number: number;
      items: { sku: string; quantity: number }[];
    };
    expect(sold.status).toBe(200);
    expect({ status: order.status, items: order.items.map((i) => ({ sku: i.sku, quantity: i.quantity })) }).toEqual({
      status: 'completed',
      items: [{ sku, quantity: 2 }],
    });

    // The back office sees the sale: in the orders, with its receipt, and in the stock history.
    await openSection(page, 'Orders');
    await page
      .getByRole('link', { name: `#${order.number}` })
      .first()
      .click();
    await page.getByTestId('receipt').getByText(name).waitFor();
    expect(await page.getByTestId('receipt').innerText()).toContain('Change');
    await screenshot(page, 'admin-order');
    await openSection(page, 'Stock');
    await page.getByPlaceholder('SKU or product name').fill(sku);
    const row = page.getByRole('row').filter({ hasText: sku }).first();
    await row.getByRole('cell', { name: '10', exact: true }).waitFor();
    await row.getByRole('button', { name: 'History' }).click();
    await page.getByTestId('movements').getByText('Sale').waitFor();
    await screenshot(page, 'admin-stock-history');
    await context.close();
  });

  test('the CSV import reports a bad row in a dry run and writes nothing', async () => {
    const tag = runTag();
    const csv = [
      'product_name,category,sku,variant_name,price_cents,tax_code,barcodes',
      `Import Tea ${tag},Drinks,IMP-TEA-${tag},Small,350,ZERO,`,
      `Import Cake ${tag},Bakery,IMP-CAKE-${tag},,twelve,STD,`,
    ].join('\n');
    const context = await newOfficeContext(browser);
    const page = await signInAs(context, 'manager');
    await openSection(page, 'Products');
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({
      name: 'catalog.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'Check file (dry run)' }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    await report.getByText('Dry run: nothing was written.').waitFor();
    const errorRow = report.getByRole('row').filter({ hasText: 'price_cents' });
    expect(await errorRow.getByRole('cell').first().innerText()).toBe('3');
    await screenshot(page, 'admin-import');

    // A real import without "good rows only" refuses the whole file and says so, with the same report.
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await report.getByText('Nothing was written').waitFor();
    const api = await apiAs('manager');
    const found = await api('GET', `/v1/products?q=IMP-TEA-${tag}`);
    expect((found.body as { data: unknown[] }).data).toHaveLength(0);
    await context.close();
  });

  test('hides what a role may not do: a manager has no staff section and no verify button', async () => {
    const context = await newOfficeContext(browser);
    const page = await signInAs(context, 'manager');
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await nav.getByRole('link', { name: 'Orders' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Staff' }).count()).toBe(0);
    await openSection(page, 'Audit log');
    await page.getByTestId('audit-events').waitFor();
    expect(await page.getByRole('button', { name: 'Verify chain' }).count()).toBe(0);
    // The server agrees: the manager's own call is refused.
    const api = await apiAs('manager');
    expect((await api('GET', '/v1/audit/verify')).status).toBe(403);
    await context.close();

    const cashierContext = await newOfficeContext(browser);
    const till = await signInAs(cashierContext, 'cashier');
    await openSection(till, 'Products');
    await till.getByRole('table').waitFor();
    expect(await till.getByRole('link', { name: 'New product' }).count()).toBe(0);
    expect(await till.getByRole('link', { name: 'Import CSV' }).count()).toBe(0);
    await cashierContext.close();
  });

  test('an owner runs the shop: a price change, a tax rate, a new cashier, a register, a void', async () => {
    const tag = runTag();
    const context = await newOfficeContext(browser);
    const page = await signInAs(context, 'owner');
    const api = await apiAs('owner');
    page.on('dialog', (d) => void d.accept(d.type() === 'prompt' ? `Till ${tag}` : undefined));

    // A price change on a product found by search.
    await openSection(page, 'Products');
    await page.getByPlaceholder('Name or start of a SKU').fill('BAK-007');
    await page.getByRole('link', { name: 'Pain au chocolat' }).click();
    const variant = page.getByTestId('variant-BAK-007');
    await variant.getByLabel('Price (USD)').fill('1.99');
    await variant.getByRole('button', { name: 'Save variant' }).click();
    await variant.getByText('Saved.').waitFor();
    const product = await api('GET', '/v1/products?q=BAK-007');
    expect(
      (product.body as { data: { variants: { price_cents: number }[] }[] }).data[0]?.variants[0]?.price_cents,
    ).toBe(199);

    // A register's own tax rate.
    await openSection(page, 'Tax');
    await page.getByLabel('Applies to').selectOption({ label: 'Till 2 at Demo Store — High Street' });
    await page.getByLabel('Rate (%)').fill('5.5');
    await page.getByRole('button', { name: 'Set rate' }).click();
    await page.getByText('Rate set to 5.5 %.').waitFor();
    await page.getByTestId('tax-overrides').getByText('Till 2 at Demo Store — High Street').waitFor();

    // A new cashier with a PIN, bound to one store; a PIN already taken is refused in a sentence.
    await openSection(page, 'Staff');
    await page.getByRole('button', { name: 'New staff member' }).click();
    const dialog = page.getByRole('dialog', { name: 'New staff member' });
    await dialog.getByLabel('E-mail').fill(`nina.${tag.toLowerCase()}@demo.novapos.test`);
    await dialog.getByLabel('Name').fill(`Nina ${tag}`);
    await dialog.getByLabel('Demo Store — High Street').check();
    await dialog.getByLabel('PIN').fill(demoUser('cashier').pin);
    await dialog.getByLabel('Password').fill('a long passphrase');
    await screenshot(page, 'admin-staff-new');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('That PIN is already used by someone else.').waitFor();
    expect(await dialog.getByTestId('error-code').innerText()).toContain('pin_taken');
    await dialog.getByLabel('PIN').fill(`7${tag.replace(/\D/g, '').padEnd(5, '1').slice(0, 5)}`);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: `Nina ${tag}` }).waitFor();

    // A register at the second store.
    await openSection(page, 'Locations & registers');
    const store = page.getByTestId('location-Demo Store — Station Road');
    await store.getByPlaceholder('New register name').fill(`Till ${tag}`);
    await store.getByRole('button', { name: 'Add register' }).click();
    await store.getByRole('cell', { name: `Till ${tag}` }).waitFor();

    // A void, with its reason, from the order's page.
    await openSection(page, 'Orders');
    await page.getByLabel('Status').selectOption('completed');
    // An older sale (the page's last), so today's figures on the dashboard keep the test sale above.
    await page.getByTestId('orders').getByRole('link').last().click();
    await page.getByRole('button', { name: 'Void…' }).click();
    const voiding = page.getByRole('dialog', { name: /Void order/ });
    await voiding.getByLabel('Reason').fill('customer changed their mind');
    await voiding.getByRole('button', { name: 'Void order' }).click();
    await page.getByText('The order was voided and its stock returned.').waitFor();
    await page.getByText('Voided', { exact: true }).first().waitFor();
    await context.close();
  });

  test('an owner verifies the audit chain', async () => {
    const context = await newOfficeContext(browser);
    const page = await signInAs(context, 'owner');
    await openSection(page, 'Audit log');
    await page.getByTestId('audit-events').waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByTestId('verify-result').getByText('The audit log is intact.').waitFor();
    await screenshot(page, 'admin-audit');

    for (const [section, name] of [
      ['Tax', 'admin-tax'],
      ['Staff', 'admin-staff'],
      ['Locations & registers', 'admin-locations'],
      ['Orders', 'admin-orders'],
      ['Products', 'admin-products'],
      ['Stock', 'admin-stock'],
    ] as const) {
      await openSection(page, section);
      await page.locator('table').first().waitFor();
      await screenshot(page, name);
    }
    // The dashboard last, with today's sale of the test above in its figures.
    await openSection(page, 'Dashboard');
    await page.getByRole('img', { name: 'Sales by hour over the last 7 days' }).waitFor();
    await page.getByTestId('low-stock').getByRole('table').waitFor();
    await screenshot(page, 'admin-dashboard');
    await context.close();
  });
});

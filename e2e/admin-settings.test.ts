import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs, demoUser, e2eServer, launchBrowser, screenshot } from './harness.ts';
import { newOfficeContext, openSection, runTag, signInAs } from './admin.helpers.ts';
import { demoItems, demoRegister } from './till.helpers.ts';

interface Category {
  id: string;
  name: string;
  position: number;
  archived_at: string | null;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

/** The back office at the smallest screen it is made for. */
const SMALL = { width: 1024, height: 768 };

async function categories(role: string, archived = false): Promise<Category[]> {
  const api = await apiAs(role);
  const res = await api('GET', `/v1/categories?limit=200&include_archived=${archived}`);
  expect(res.status).toBe(200);
  return (res.body as { data: Category[] }).data;
}

describe('the back office: categories and settings', () => {
  test('a manager creates a category, renames it, moves it up and archives it, by keyboard', async () => {
    const tag = runTag();
    const name = `Soups ${tag}`;
    const renamed = `Soups & stews ${tag}`;
    const context = await newOfficeContext(browser);
    const page = await signInAs(context, 'manager');
    await page.setViewportSize(SMALL);
    page.on('dialog', (d) => void d.accept());

    await openSection(page, 'Categories');
    await page.getByTestId('categories').waitFor();
    // Checked in the page as the server checks it: a blank name is not sent.
    const form = page.getByRole('form', { name: 'New category' });
    await form.getByLabel('Name').fill('   ');
    await form.getByLabel('Name').press('Enter');
    await form.getByText('Enter a name.').waitFor();
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Name').press('Enter');
    await page.getByText(`${name} created.`).waitFor();
    const row = page.getByTestId(`category-${name}`);
    await row.waitFor();
    // Added at the end of the list.
    const created = await categories('manager');
    expect(created.at(-1)?.name).toBe(name);

    // Renamed in its dialog: Enter saves.
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${name}` });
    await dialog.getByLabel('Name').fill(renamed);
    await dialog.getByLabel('Name').press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    const row2 = page.getByTestId(`category-${renamed}`);
    await row2.waitFor();
    await page.getByText(`${renamed} saved.`).waitFor();
    // The dialog gives the focus back to the row's Edit button.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-testid')))
      .toBe(`category-${renamed}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'admin-categories');

    // The same name again (in other letters) is refused by the server, in a sentence with its code.
    await form.getByLabel('Name').fill(renamed.toUpperCase());
    await form.getByRole('button', { name: 'Add category' }).click();
    await form.getByText('is already used by another category', { exact: false }).first().waitFor();
    expect(await form.getByTestId('error-code').innerText()).toContain('name_taken');

    // Moved up one place from the keyboard, in one request that sends the whole order (one transaction).
    const writes: string[] = [];
    const countWrite = (request: { method(): string; url(): string }) => {
      if (request.method() !== 'GET' && new URL(request.url()).pathname.startsWith('/v1/categories')) {
        writes.push(`${request.method()} ${new URL(request.url()).pathname}`);
      }
    };
    page.on('request', countWrite);
    const before = (await categories('manager')).map((c) => c.id);
    await row2.getByRole('button', { name: `Move ${renamed} up` }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(`${renamed} moved up.`).waitFor();
    page.off('request', countWrite);
    expect(writes).toEqual(['PUT /v1/categories/order']);
    const after = await categories('manager');
    expect(after.at(-2)?.name).toBe(renamed);
    expect(after.map((c) => c.id)).toEqual([...before.slice(0, -2), before.at(-1), before.at(-2)]);
    // Numbered 10, 20, 30… in the new order.
    expect(after.map((c) => c.position)).toEqual(after.map((_, i) => (i + 1) * 10));

    // Archived: it leaves the list, stays under "Show archived", and the API agrees.
    await row2.getByRole('button', { name: 'Archive' }).click();
    await page.getByText(`${renamed} archived.`).waitFor();
    await row2.waitFor({ state: 'detached' });
    expect((await categories('manager')).some((c) => c.name === renamed)).toBe(false);
    const archived = (await categories('manager', true)).find((c) => c.name === renamed);
    expect(archived?.archived_at).not.toBeNull();
    await page.getByLabel('Show archived').check();
    await page.getByTestId(`category-${renamed}`).getByText('Archived').waitFor();
    await context.close();
  });

  test('an owner changes the business name and the cash rounding; they are saved', async () => {
    const tag = runTag();
    const api = await apiAs('owner');
    const before = (await api('GET', '/v1/settings/tenant')).body as Record<string, unknown>;
    const context = await newOfficeContext(browser);
    try {
      const page = await signInAs(context, 'owner');
      await page.setViewportSize(SMALL);
      await openSection(page, 'Settings');
      const form = page.getByRole('form', { name: 'Shop settings' });
      await expect.poll(() => form.getByLabel('Business name').inputValue()).toBe(before.name);

      // What the server would refuse is refused in the form, under its field, and nothing is sent.
      await form.getByLabel('Business name').fill(' ');
      await form.getByLabel('Cash rounding (USD)').fill('0.001');
      await form.getByRole('button', { name: 'Save settings' }).click();
      await form.getByText('Enter the business name.').waitFor();
      await form.getByText(/Enter the smallest coin, from 0\.01 to 1000\.00/).waitFor();
      expect(((await api('GET', '/v1/settings/tenant')).body as { name: string }).name).toBe(before.name);

      await form.getByLabel('Business name').fill(`Demo Store ${tag}`);
      await form.getByLabel('Cash rounding (USD)').fill('0.10');
      await form.getByLabel('Cash rounding (USD)').press('Enter');
      await page.getByText('Settings saved.').waitFor();
      await screenshot(page, 'admin-settings');
      const after = (await api('GET', '/v1/settings/tenant')).body as Record<string, unknown>;
      expect(after).toMatchObject({ name: `Demo Store ${tag}`, cash_rounding_cents: 10 });
      expect(after.timezone).toBe(before.timezone);
      expect(after.stock_policy).toBe(before.stock_policy);

      // A reload shows what was saved.
      await page.reload();
      await expect
        .poll(() => page.getByRole('form', { name: 'Shop settings' }).getByLabel('Cash rounding (USD)').inputValue())
        .toBe('0.10');
    } finally {
      // The suite shares one demo store: the till's tests expect its own name and rounding.
      const restored = await api('PATCH', '/v1/settings/tenant', {
        name: before.name,
        cash_rounding_cents: before.cash_rounding_cents,
      });
      expect(restored.status).toBe(200);
      await context.close();
    }
  });

  test('a manager and a cashier read the settings but get no edit controls; a cashier cannot change categories', async () => {
    for (const role of ['manager', 'cashier']) {
      const context = await newOfficeContext(browser);
      const page = await signInAs(context, role);
      await page.setViewportSize(SMALL);
      await openSection(page, 'Settings');
      await page.getByTestId('settings-facts').waitFor();
      await page.getByText('Only an owner or an admin can change these settings.').waitFor();
      expect(await page.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
      expect(await page.getByRole('textbox').count()).toBe(0);
      // The server agrees.
      const api = await apiAs(role);
      expect((await api('PATCH', '/v1/settings/tenant', { cash_rounding_cents: 5 })).status).toBe(403);

      if (role === 'cashier') {
        await openSection(page, 'Categories');
        await page.getByTestId('categories').waitFor();
        expect(await page.getByRole('form', { name: 'New category' }).count()).toBe(0);
        expect(await page.getByRole('button', { name: 'Archive' }).count()).toBe(0);
        expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
        expect((await api('POST', '/v1/categories', { name: `Nope ${runTag()}` })).status).toBe(403);
      }
      await context.close();
    }
  });

  test("an owner sets the receipt footer and the store's address; a sale's receipt prints both", async () => {
    const api = await apiAs('owner');
    const before = (await api('GET', '/v1/settings/tenant')).body as { receipt_footer_lines: string[] };
    const locations = (await api('GET', '/v1/locations?limit=200')).body as {
      data: { id: string; name: string; address_lines: string[] }[];
    };
    const store = locations.data.find((l) => l.name === demoRegister().locationName);
    if (store === undefined) throw new Error('the demo register has no location');
    const context = await newOfficeContext(browser);
    try {
      const page = await signInAs(context, 'owner');
      await page.setViewportSize(SMALL);
      await openSection(page, 'Settings');
      const form = page.getByRole('form', { name: 'Shop settings' });
      const footer = form.getByLabel('Receipt footer');
      // Too many lines is refused in the form, as the server would refuse it, and nothing is sent.
      await footer.fill('1\n2\n3\n4\n5');
      await form.getByRole('button', { name: 'Save settings' }).click();
      await form.getByText('Use at most 4 lines (blank lines are dropped).').waitFor();
      await footer.fill('  See you soon!\n\nReturns within 30 days  ');
      await form.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved.').waitFor();
      expect(((await api('GET', '/v1/settings/tenant')).body as Record<string, unknown>).receipt_footer_lines).toEqual([
        'See you soon!',
        'Returns within 30 days',
      ]);

      await openSection(page, 'Locations & registers');
      const card = page.getByTestId(`location-${store.name}`);
      await card.getByRole('button', { name: 'Edit' }).click();
      const dialog = page.getByRole('dialog', { name: `Edit ${store.name}` });
      await dialog.getByLabel('Address').fill(`12 Harbour Street\n${'x'.repeat(43)}`);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.getByText('Line 2 is longer than 42 characters.').waitFor();
      await dialog.getByLabel('Address').fill('12 Harbour Street\nSpringfield SP1 2AB');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await card.getByTestId('location-address').getByText('12 Harbour Street, Springfield SP1 2AB').waitFor();
      await screenshot(page, 'admin-location-address');

      // A sale at the demo register: its receipt carries the address under the store's name and the footer.
      const item = (await demoItems())[0];
      if (item === undefined) throw new Error('no demo item to sell');
      const cashier = await apiAs('cashier');
      const sale = await cashier('POST', '/v1/orders', {
        register_id: demoRegister().registerId,
        items: [{ variant_id: item.variant_id, quantity: 1 }],
        tenders: [{ method: 'cash', amount_cents: 1_000_000 }],
      });
      expect(sale.status, JSON.stringify(sale.body)).toBe(201);
      const text = await receiptText((sale.body as { id: string }).id);
      const lines = text.split('\n').map((l) => l.trim());
      const at = lines.indexOf(store.name);
      expect(lines.slice(at + 1, at + 3)).toEqual(['12 Harbour Street', 'Springfield SP1 2AB']);
      expect(lines.filter((l) => l !== '').slice(-2)).toEqual(['See you soon!', 'Returns within 30 days']);
      expect(text).not.toContain('Thank you for your purchase!');
    } finally {
      // The suite shares one demo store: put its footer and address back.
      expect(
        (await api('PATCH', '/v1/settings/tenant', { receipt_footer_lines: before.receipt_footer_lines })).status,
      ).toBe(200);
      expect((await api('PATCH', `/v1/locations/${store.id}`, { address_lines: store.address_lines })).status).toBe(
        200,
      );
      await context.close();
    }
  });
});

/** A receipt as plain text, as a cashier reads it (the API helper parses JSON; a receipt is not). */
async function receiptText(orderId: string): Promise<string> {
  const { url } = e2eServer();
  const user = demoUser('cashier');
  const login = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  const { access_token } = (await login.json()) as { access_token: string };
  const res = await fetch(`${url}/v1/orders/${orderId}/receipt?format=text`, {
    headers: { authorization: `Bearer ${access_token}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiAs, demoUser, launchBrowser, newTillContext, screenshot } from './harness.ts';
import { cents, demoItems, demoRegister, openTill, scan, serverOrder, type DemoItem } from './till.helpers.ts';

let browser: Browser;
let context: BrowserContext;
let page: Page;
let items: DemoItem[];

beforeAll(async () => {
  browser = await launchBrowser();
  items = await demoItems();
  context = await newTillContext(browser);
  page = await context.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[pageerror] ${e.message}\n`));
});
afterAll(async () => {
  await browser.close();
});

/** The user ids whose PIN verifiers the till keeps in IndexedDB (`meta['offline.pins']`). */
async function storedVerifiers(): Promise<string[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('novapos-till');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(new Error('no database'));
    });
    const stored = await new Promise<{ users?: { user_id: string }[] } | undefined>((resolve) => {
      const req = db.transaction('meta').objectStore('meta').get('offline.pins');
      req.onsuccess = () => resolve(req.result as { users?: { user_id: string }[] } | undefined);
    });
    db.close();
    return (stored?.users ?? []).map((u) => u.user_id);
  });
}

/** The demo cashier as the back office lists them. */
async function demoCashier(): Promise<{ id: string; display_name: string }> {
  const api = await apiAs('owner');
  const res = await api('GET', `/v1/users?q=${encodeURIComponent(demoUser('cashier').email)}`);
  const user = (res.body as { data: { id: string; email: string; display_name: string }[] }).data.find(
    (u) => u.email.toLowerCase() === demoUser('cashier').email.toLowerCase(),
  );
  if (user === undefined) throw new Error('no demo cashier');
  return user;
}

async function typePin(pin: string): Promise<void> {
  await page.getByLabel('PIN').fill(pin);
  await page.keyboard.press('Enter');
}

test('a cashier signs in with their PIN while the server is unreachable; the sale and the sign-in reach it later', async () => {
  const item = items[17];
  if (item === undefined) throw new Error('no item');
  const { id: cashier, display_name: name } = await demoCashier();
  const startedAt = new Date(Date.now() - 1000).toISOString();

  // Online once: the PIN sign-in gives the till its location's verifiers (the cashier's among them).
  await openTill(page);
  await expect.poll(storedVerifiers, { timeout: 20_000 }).toContain(cashier);

  await context.setOffline(true);
  await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Offline');
  await page.locator('.statusbar').getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('PIN').waitFor();

  // A wrong PIN is refused on the till itself.
  await typePin('99999999');
  await page.getByText('That PIN is not right (checked on this till', { exact: false }).waitFor({ timeout: 20_000 });
  await screenshot(page, 'pos-offline-signin');

  // The right one opens the till offline, as that cashier.
  await typePin(demoUser('cashier').pin);
  await page.locator('.statusbar', { hasText: /[1-9][\d,]* products/ }).waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('connection').textContent()).toBe('Offline');
  expect(await page.locator('.statusbar').textContent()).toContain(name);

  // A cash sale, queued on the device.
  await scan(page, item.barcodes[0] ?? '');
  await expect.poll(() => page.getByTestId('cart-lines').locator('li.line').count()).toBe(1);
  const total = cents(await page.getByTestId('total').textContent());
  await page.keyboard.press('F8');
  await page.keyboard.press('Enter'); // exact cash
  await expect.poll(() => page.getByTestId('receipt').textContent()).toContain('Paid (cash)');
  await expect.poll(() => page.getByTestId('queue').textContent()).toBe('1 sale waiting to send');
  const id = (await page.locator('main.done').getAttribute('data-sale-id')) ?? '';
  expect(await serverOrder(id)).toBeUndefined();

  // The server answers again: the till signs the cashier in online without asking, reports the offline sign-in,
  // then sends the sale.
  await context.setOffline(false);
  await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 30_000 }).toBe('All sales sent');
  await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Online');
  expect(await page.getByLabel('PIN').count()).toBe(0);
  expect(await page.locator('.statusbar').textContent()).toContain(name);
  expect(await serverOrder(id)).toMatchObject({ status: 'completed', total_cents: total });

  const api = await apiAs('owner');
  const audit = await api(
    'GET',
    `/v1/audit/events?action=pos.offline_signin&entity_id=${cashier}&from=${encodeURIComponent(startedAt)}`,
  );
  expect(audit.status).toBe(200);
  const events = (audit.body as { data: { chain_key: string; data: Record<string, unknown> }[] }).data;
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    chain_key: `register:${demoRegister().registerId}`,
    data: { register_id: demoRegister().registerId, failed_attempts: 1, reported_by: cashier },
  });
  await page.keyboard.press('Enter');
});

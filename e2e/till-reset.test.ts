import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { demoUser, launchBrowser, newTillContext, screenshot } from './harness.ts';
import { demoItems, openTill, scan, serverOrder, type DemoItem } from './till.helpers.ts';

let browser: Browser;
let context: BrowserContext | undefined;
let items: DemoItem[];

beforeAll(async () => {
  browser = await launchBrowser();
  items = await demoItems();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(async () => {
  await browser.close();
});

async function freshTill(): Promise<Page> {
  context = await newTillContext(browser);
  const page = await context.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[pageerror] ${e.message}\n`));
  await openTill(page);
  return page;
}

/** What the till keeps on the device: IndexedDB store sizes and its Web Storage keys. */
function deviceState(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('novapos-till');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(new Error(String(req.error)));
    });
    const count = (store: string) =>
      new Promise<number>((resolve, reject) => {
        const req = db.transaction(store).objectStore(store).count();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(new Error(String(req.error)));
      });
    const state = {
      meta: await count('meta'),
      items: await count('items'),
      queue: await count('queue'),
      parked: await count('parked'),
      storage: [...Object.keys(sessionStorage), ...Object.keys(localStorage)].filter((k) => k.startsWith('novapos.')),
    };
    db.close();
    return state;
  });
}

async function openReset(page: Page): Promise<void> {
  await page.locator('.statusbar').getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Reset this till…' }).click();
  await page.getByRole('heading', { name: 'Reset this till' }).waitFor();
}

async function fillManager(page: Page, role = 'manager'): Promise<void> {
  const user = demoUser(role);
  await page.getByLabel('Manager e-mail').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
}

test('with every sale sent, a manager resets the till and it returns to set-up with nothing left', async () => {
  const page = await freshTill();
  expect((await deviceState(page)).items).toBeGreaterThan(0);
  await openReset(page);
  await expect.poll(() => page.getByTestId('reset-unsent').textContent()).toContain('reached the server');

  // A cashier cannot authorise it.
  await fillManager(page, 'cashier');
  await page.getByRole('button', { name: 'Reset this till', exact: true }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('Only a manager');
  expect((await deviceState(page)).meta).toBeGreaterThan(0);

  await fillManager(page);
  await page.getByRole('button', { name: 'Reset this till', exact: true }).click();
  await page.getByRole('heading', { name: 'Set up this till' }).waitFor({ timeout: 20_000 });
  expect(await deviceState(page)).toEqual({ meta: 0, items: 0, queue: 0, parked: 0, storage: [] });
});

test('with a sale waiting to be sent, the reset is refused until it is sent (or the loss is confirmed)', async () => {
  const page = await freshTill();
  const item = items[21];
  if (item === undefined) throw new Error('no item');
  // A cash sale made offline waits in the queue.
  await context?.setOffline(true);
  await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Offline');
  await scan(page, item.barcodes[0] ?? '');
  await expect.poll(() => page.getByTestId('cart-lines').locator('li.line').count()).toBe(1);
  await page.keyboard.press('F8');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('queue').textContent()).toBe('1 sale waiting to send');
  const saleId = (await page.locator('main.done').getAttribute('data-sale-id')) ?? '';
  await page.keyboard.press('Enter');
  await openReset(page);
  await context?.setOffline(false);

  const warning = page.getByTestId('reset-unsent');
  await expect.poll(() => warning.textContent()).toContain('1 sale on this till has not reached the server');
  await fillManager(page);
  const resetButton = page.getByRole('button', { name: 'Reset and lose 1 sale' });
  expect(await resetButton.isDisabled()).toBe(true);
  await screenshot(page, 'pos-reset');
  // The second, explicit confirmation is what enables it; without it nothing can be reset.
  await warning.getByLabel('Reset anyway and lose 1 unsent sale').check();
  expect(await resetButton.isDisabled()).toBe(false);
  await warning.getByLabel('Reset anyway and lose 1 unsent sale').uncheck();
  expect(await resetButton.isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Cancel' }).click();
  expect(await deviceState(page)).toMatchObject({ queue: 1 });
  expect(await serverOrder(saleId)).toBeUndefined();

  // The way out: a cashier signs in, the till sends the sale, and then the reset goes through.
  await page.getByLabel('PIN').fill(demoUser('cashier').pin);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 30_000 }).toBe('All sales sent');
  expect(await serverOrder(saleId)).toMatchObject({ status: 'completed' });
  await openReset(page);
  await expect.poll(() => page.getByTestId('reset-unsent').textContent()).toContain('reached the server');
  await fillManager(page);
  await page.getByRole('button', { name: 'Reset this till', exact: true }).click();
  await page.getByRole('heading', { name: 'Set up this till' }).waitFor({ timeout: 20_000 });
  expect(await deviceState(page)).toMatchObject({ meta: 0, queue: 0 });
});

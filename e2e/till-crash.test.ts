import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { canonicalJson } from '../packages/domain/src/canonical-json.ts';
import { e2eServer, launchBrowser, newTillContext } from './harness.ts';
import { demoItems, openTill, scan, serverOrder, type DemoItem } from './till.helpers.ts';

/**
 * Issue 13, defect 6 at the till: a queued sale whose Idempotency-Key a killed server left `in_progress` still
 * reaches the server. The e2e server is shared by every file, so it is not killed here: the test leaves the key in
 * the server's database exactly as a request that died mid-sale leaves it (the claim row, no answer; with the
 * lease columns of migration 0021 when they exist, a lease a few seconds long that nobody renews any more). The
 * process kill itself is apps/server/test/idempotency-crash.test.ts.
 *
 * Before the fix the till's send got 409 `idempotency_key_in_use` (for 24 hours) and the sale never arrived.
 */
let browser: Browser;
let context: BrowserContext;
let page: Page;
let items: DemoItem[];
let db: pg.Client;

/** The e2e server's embedded PostgreSQL, as its owner (the password and port are in its data folder). */
async function serverDatabase(): Promise<pg.Client> {
  const { dataDir } = e2eServer();
  const password = fs.readFileSync(path.join(dataDir, 'keys', 'pg-superuser-password'), 'utf8').trim();
  const port = fs
    .readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')
    .split('\n')[3]
    ?.trim();
  const client = new pg.Client({
    connectionString: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port ?? ''}/novapos`,
  });
  await client.connect();
  return client;
}

beforeAll(async () => {
  browser = await launchBrowser();
  items = await demoItems();
  db = await serverDatabase();
  context = await newTillContext(browser);
  page = await context.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[pageerror] ${e.message}\n`));
  await openTill(page);
});
afterAll(async () => {
  await db.end();
  await browser.close();
});

/** The queued sale's body as the till will send it (from its IndexedDB queue). */
async function queuedBody(id: string): Promise<unknown> {
  return page.evaluate(async (saleId) => {
    const idb = await new Promise<IDBDatabase>((resolve) => {
      const req = indexedDB.open('novapos-till');
      req.onsuccess = () => resolve(req.result);
    });
    const all = await new Promise<{ id: string; body: unknown }[]>((resolve) => {
      const req = idb.transaction('queue').objectStore('queue').getAll();
      req.onsuccess = () => resolve(req.result as { id: string; body: unknown }[]);
    });
    return all.find((s) => s.id === saleId)?.body;
  }, id);
}

/** The claim a request that died mid-sale leaves behind (platform/http/idempotency.ts computes the fingerprint). */
async function leaveStuckKey(key: string, body: unknown): Promise<void> {
  const fingerprint = createHash('sha256')
    .update('POST /v1/orders\n')
    .update(canonicalJson(JSON.parse(JSON.stringify(body))))
    .digest('hex');
  await db.query(
    `INSERT INTO idempotency_keys (tenant_id, key, method, path, fingerprint, status, expires_at)
     VALUES ($1, $2, 'POST', '/v1/orders', $3, 'in_progress', now() + interval '24 hours')`,
    [e2eServer().logins.tenant_id, key, fingerprint],
  );
  const { rows } = await db.query(
    "SELECT 1 FROM information_schema.columns WHERE table_name = 'idempotency_keys' AND column_name = 'lease_until'",
  );
  if (rows.length > 0) {
    // The dead process had renewed its lease just before it died: the key is held a few seconds more.
    await db.query(`UPDATE idempotency_keys SET lease_until = now() + interval '8 seconds' WHERE key = $1`, [key]);
  }
}

test('a queued sale whose key a killed server left in progress reaches the server once the lease runs out', async () => {
  const item = items[14];
  if (item === undefined) throw new Error('no item');
  const answers: number[] = [];
  page.on('response', (res) => {
    if (res.request().method() === 'POST' && new URL(res.url()).pathname === '/v1/orders') answers.push(res.status());
  });
  await context.setOffline(true);
  await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Offline');
  await scan(page, item.barcodes[0] ?? '');
  await page.keyboard.press('F8');
  await page.keyboard.press('Enter'); // exact cash
  await expect.poll(() => page.getByTestId('receipt').textContent()).toContain('Paid (cash)');
  await expect.poll(() => page.getByTestId('queue').textContent()).toBe('1 sale waiting to send');
  const id = (await page.locator('main.done').getAttribute('data-sale-id')) ?? '';
  const body = await queuedBody(id);
  expect(body).toMatchObject({ id });

  // The sale's first send reached a server that claimed its key and was killed before answering.
  await leaveStuckKey(id, body);
  await context.setOffline(false);
  // The till sends again at each 'online' (and every 15 s): the key is in use until its lease runs out.
  await expect
    .poll(
      async () => {
        await page.evaluate(() => window.dispatchEvent(new Event('online')));
        return (await serverOrder(id))?.status;
      },
      { timeout: 45_000, interval: 1_000 },
    )
    .toBe('completed');
  expect(answers[0]).toBe(409);
  expect(answers.at(-1)).toBe(201);
  await expect.poll(() => page.getByTestId('queue').textContent()).toBe('All sales sent');
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE id = $1', [id]);
  expect(rows[0]?.n).toBe(1);
  await page.keyboard.press('Enter');
});

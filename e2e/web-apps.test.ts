import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { e2eServer, launchBrowser, newTillContext } from './harness.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

test('the server serves the till at /pos/ and the back office at /admin/', async () => {
  const context = await newTillContext(browser);
  const page = await context.newPage();
  const res = await page.goto('/pos/');
  expect(res?.status()).toBe(200);
  await expect.poll(() => page.title()).toContain('NovaPOS');
  const admin = await page.goto('/admin/');
  expect(admin?.status()).toBe(200);
  await context.close();
});

test('the till is installable and opens from the service worker cache without the network', async () => {
  const context = await newTillContext(browser);
  const page = await context.newPage();
  await page.goto('/pos/');
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
    return link === null ? null : ((await (await fetch(link.href)).json()) as { name: string; start_url: string });
  });
  expect(manifest).toMatchObject({ name: 'NovaPOS till', start_url: '/pos/' });
  // The service worker precaches the shell; once it controls the page, a reload works offline.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await context.setOffline(true);
  await page.reload();
  await expect.poll(() => page.title()).toContain('NovaPOS');
  expect(await page.locator('#root').innerHTML()).not.toBe('');
  await context.setOffline(false);
  await context.close();
  expect(e2eServer().url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

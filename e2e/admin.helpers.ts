import type { Browser, BrowserContext, Page } from 'playwright-core';
import { demoUser, e2eServer } from './harness.ts';

/** A desktop-sized context for the back office (a manager's laptop, not a till's touch screen). */
export function newOfficeContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ baseURL: e2eServer().url, viewport: { width: 1280, height: 860 }, locale: 'en-US' });
}

/** Opens the back office and signs in as the demo user of `role`; resolves on the dashboard. */
export async function signInAs(context: BrowserContext, role: string): Promise<Page> {
  const page = await context.newPage();
  const user = demoUser(role);
  await page.goto('/admin/');
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('role').filter({ hasText: role }).waitFor();
  return page;
}

/** Opens a section from the sidebar. */
export async function openSection(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1 }).first().waitFor();
}

/** A tag that makes names and SKUs of this run unique (the suite shares one demo store). */
export function runTag(): string {
  return Date.now().toString(36).toUpperCase().slice(-6);
}

/** An in-store EAN-13 (prefix 2) with a valid check digit, from a run tag. */
export function inStoreEan13(tag: string): string {
  const body = `29${tag.replace(/\D/g, '7')}`.padEnd(12, '3').slice(0, 12);
  const sum = body.split('').reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

import type { Page } from 'playwright-core';
import { apiAs, demoUser, e2eServer } from './harness.ts';

/** A sellable demo item as the catalog feed gives it. */
export interface DemoItem {
  readonly variant_id: string;
  readonly sku: string;
  readonly name: string;
  readonly unit_price_cents: number;
  readonly tax_code: string;
  readonly barcodes: string[];
  readonly archived: boolean;
}

/** The demo register the till is set up as: the first register of the demo store's first location. */
export function demoRegister(): { locationName: string; registerName: string; registerId: string } {
  const { logins } = e2eServer();
  const location = logins.locations?.find((l) => l.registers.some((r) => r.id === logins.register_id));
  const register = location?.registers.find((r) => r.id === logins.register_id);
  if (location === undefined || register === undefined) throw new Error('demo-logins.json names no register');
  return { locationName: location.name, registerName: register.name, registerId: register.id };
}

/** Sellable demo items with barcodes, distinct names, enough stock for a few sales. */
export async function demoItems(): Promise<DemoItem[]> {
  const api = await apiAs('manager');
  const res = await api('GET', '/v1/catalog/changes?limit=5000');
  const items = (res.body as { items: DemoItem[] }).items.filter((i) => !i.archived && i.barcodes.length > 0);
  // Items at or below their low-stock threshold are left out: a test sale must not run out of stock.
  const low = await api('GET', `/v1/inventory?location_id=${locationIdOf()}&below_threshold=true&limit=200`);
  const lowIds = new Set((low.body as { data: { variant_id: string }[] }).data.map((l) => l.variant_id));
  return items.filter((i) => !lowIds.has(i.variant_id));
}

function locationIdOf(): string {
  const { logins } = e2eServer();
  return logins.locations?.find((l) => l.registers.some((r) => r.id === logins.register_id))?.id ?? '';
}

/**
 * Opens the till on a fresh device: a manager sets it up as the demo register, the cashier signs in with their
 * PIN, and the catalog is cached (the status bar counts the products).
 */
export async function openTill(page: Page, role: 'cashier' | 'manager' = 'cashier'): Promise<void> {
  const manager = demoUser('manager');
  const { locationName, registerName } = demoRegister();
  await page.goto('/pos/');
  await page.getByLabel('Manager e-mail').fill(manager.email);
  await page.getByLabel('Password').fill(manager.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('section.place', { hasText: locationName }).getByRole('button', { name: registerName }).click();
  await page.getByLabel('PIN').fill(demoUser(role).pin);
  await page.keyboard.press('Enter');
  await page.locator('.statusbar', { hasText: /[1-9][\d,]* products/ }).waitFor({ timeout: 20_000 });
}

/**
 * Scans a barcode the way a keyboard-wedge scanner does: its keys, then Enter, back to back, on the
 * focused element. The keys are dispatched inside the page: Playwright's own keyboard goes through a round trip per
 * key (40–110 ms apart on a loaded machine), far slower than any scanner, so it would test a person typing instead.
 */
export async function scan(page: Page, code: string): Promise<void> {
  await page.locator('input.search').focus();
  await page.evaluate(
    (keys) => {
      const target = document.activeElement ?? document.body;
      for (const key of keys) {
        target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
      }
    },
    [...Array.from(code), 'Enter'],
  );
}

/** Types like a person (slower than a scanner). */
export async function typeSlowly(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text, { delay: 60 });
}

/** The cents in a money string like "$12.34". */
export function cents(text: string | null): number {
  const m = /(-?)\$?([\d,]+)\.(\d{2})/.exec(text ?? '');
  if (m === null) throw new Error(`no amount in "${text ?? ''}"`);
  return (m[1] === '-' ? -1 : 1) * (Number((m[2] ?? '0').replace(/,/g, '')) * 100 + Number(m[3]));
}

/** The order the server has under a sale's client id (undefined when it has none). */
export async function serverOrder(id: string): Promise<Record<string, unknown> | undefined> {
  const api = await apiAs('owner');
  const res = await api('GET', `/v1/orders/${id}`);
  return res.status === 200 ? (res.body as Record<string, unknown>) : undefined;
}

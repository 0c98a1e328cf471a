import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { offlineSigningPayload } from '@novapos/domain';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newOfficeContext, openSection, runTag, signInAs } from './admin.helpers.ts';
import { apiAs, launchBrowser, screenshot } from './harness.ts';
import { demoRegister } from './till.helpers.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

type Api = Awaited<ReturnType<typeof apiAs>>;

/** A till device made here, as the till makes one at set-up: an Ed25519 key pair, its public key registered. */
async function newDevice(api: Api, registerId: string, label: string): Promise<{ id: string; key: KeyObject }> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const res = await api('POST', `/v1/registers/${registerId}/devices`, {
    public_key: publicKey.export({ format: 'jwk' }).x,
    label,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: (res.body as { device_id: string }).device_id, key: privateKey };
}

/** A sale the device queued offline: one line at the price the till showed, paid in cash, signed. */
function offlineSale(
  device: { id: string; key: KeyObject },
  registerId: string,
  variantId: string,
  price: number,
  seq: number,
) {
  const body = {
    id: randomUUID(),
    register_id: registerId,
    items: [{ variant_id: variantId, quantity: 2 }],
    tenders: [{ method: 'cash', amount_cents: price * 2 }],
    price_lock: {
      lines: [{ variant_id: variantId, unit_price_cents: price }],
      tax_rate_bps: 800,
      total_cents: price * 2,
    },
    offline: { device_id: device.id, seq, created_at: new Date().toISOString() },
  };
  const signature = sign(null, Buffer.from(offlineSigningPayload(body), 'utf8'), device.key).toString('base64url');
  return { ...body, offline: { ...body.offline, signature } };
}

describe('the back office: sales needing attention', () => {
  test('a manager sees a missing sale and a refused one with what changed, in words', async () => {
    const tag = runTag();
    const owner = await apiAs('owner');
    const manager = await apiAs('manager');
    const { registerId, registerName } = demoRegister();
    const label = `Tablet ${tag}`;
    const device = await newDevice(manager, registerId, label);

    // A product exempt from tax (so the till's total is its price), in stock.
    const sku = `ATTN-${tag}`;
    const created = await owner('POST', '/v1/products', {
      name: `Attention tee ${tag}`,
      variants: [{ sku, price_cents: 400, tax_code: 'EXEMPT' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const variantId = (created.body as { variants: { id: string }[] }).variants[0]!.id;
    const locations = (await owner('GET', `/v1/registers/${registerId}`)).body as { location_id: string };
    const stocked = await owner('POST', '/v1/inventory/adjustments', {
      location_id: locations.location_id,
      lines: [{ sku, delta: 20, reason: 'receipt' }],
    });
    expect(stocked.status).toBe(201);

    // Sales 1 and 3 arrive; 2 never does. Sale 4 was taken at $4.00, and the price is $4.50 when it arrives.
    const cashier = await apiAs('cashier');
    expect((await cashier('POST', '/v1/orders', offlineSale(device, registerId, variantId, 400, 1))).status).toBe(201);
    expect((await cashier('POST', '/v1/orders', offlineSale(device, registerId, variantId, 400, 3))).status).toBe(201);
    const changed = await owner('PATCH', `/v1/variants/${variantId}`, { price_cents: 450 });
    expect(changed.status).toBe(200);
    const refused = await cashier('POST', '/v1/orders', offlineSale(device, registerId, variantId, 400, 4));
    expect(refused.status).toBe(409);
    expect((refused.body as { code: string }).code).toBe('replay_conflict');

    const context = await newOfficeContext(browser);
    const page = await signInAs(context, 'manager');
    await openSection(page, 'Sales needing attention');
    const gaps = page.getByTestId('attention-gaps');
    const gap = gaps.getByRole('row').filter({ hasText: label });
    await gap.waitFor();
    expect(await gap.innerText()).toContain('Sale 2');
    expect(await gap.innerText()).toContain(registerName);
    const row = page.getByTestId('attention-refused').getByRole('row').filter({ hasText: label });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('Differs from what the shop holds now');
    expect(text).toContain(`Attention tee ${tag} (${sku}): the till charged $4.00, the price is now $4.50`);
    expect(text).toContain('Total: the till charged $8.00, it is now $9.00');
    await screenshot(page, 'admin-attention');

    // The till was reset before it sent sale 2: the manager writes it off, with the reason, and the gap closes.
    await gap.getByRole('button', { name: 'Write off…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Write off sale 2' });
    await dialog.getByLabel('Reason').fill('Till reset before it synced; drawer counted');
    await dialog.getByRole('button', { name: 'Write off' }).click();
    await page.getByText(`Sale 2 of ${label} written off.`).waitFor();
    await expect.poll(() => gaps.getByRole('row').filter({ hasText: label }).count()).toBe(0);
    const audit = await manager('GET', '/v1/audit/events?action=order.offline_gap_written_off&limit=5');
    expect(JSON.stringify(audit.body)).toContain('Till reset before it synced; drawer counted');
    await context.close();
  });

  test('a cashier is not offered the page', async () => {
    const context = await newOfficeContext(browser);
    const page = await signInAs(context, 'cashier');
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await nav.getByRole('link', { name: 'Orders' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Sales needing attention' }).count()).toBe(0);
    await context.close();
  });
});

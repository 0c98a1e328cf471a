import { formatReceiptDateTime } from '@novapos/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type Client, type Tenant } from '../../../test/harness.ts';
import { newId } from '../../platform/ids.ts';
import { addSeedTenant, SEED_ITEMS, stock, useSeedShop } from '../orders/orders.fixtures.ts';

const { shop } = useSeedShop({ name: 'Corner <Shop> & Co', env: { DEFAULT_TAX_RATE_BPS: '800' } });
const till = shop.as('till');
let other: Tenant;
/** The seed sale: 2 × Soda + 1 × Water, 10 % off, 8 % tax, 10.00 cash. */
let sale: { id: string; number: number; completed_at: string };

function sell(payload: Record<string, unknown>, items: unknown = SEED_ITEMS) {
  return till.post('/v1/orders/sku', { register_id: shop.registerId, items, discount_percent_bp: 1000, ...payload });
}

function receipt(orderId: string, query = '', as: Client = till) {
  return as.get(`/v1/orders/${orderId}/receipt${query}`);
}

function expectWidth(text: string, width: number): void {
  for (const line of text.split('\n')) expect(Array.from(line).length, line).toBeLessThanOrEqual(width);
}

beforeAll(async () => {
  other = await addSeedTenant(shop, 'Other Shop');
  const res = await sell({ tenders: [{ method: 'cash', amount_cents: 1000 }] });
  expect(res.statusCode, res.body).toBe(201);
  sale = res.json();
});

describe('GET /v1/orders/:id/receipt', () => {
  it('answers plain text at 42 columns by default, with "Paid (cash)" and "Change"', async () => {
    const res = await receipt(sale.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const text = res.body;
    expectWidth(text, 42);
    expect(text.split('\n')[0]?.trim()).toBe('Corner <Shop> & Co'); // plain text is not HTML: no escaping
    expect(text).toContain(`Receipt #${sale.number}`);
    expect(text).toContain(formatReceiptDateTime(sale.completed_at, 'UTC'));
    expect(text).toMatch(/^2 x Soda Can +3\.98$/m);
    expect(text).toMatch(/^1 x Bottle Water +1\.49$/m);
    expect(text).toMatch(/^Subtotal +5\.47$/m);
    expect(text).toMatch(/^Discount \(10%\) +-0\.55$/m);
    expect(text).toMatch(/^Tax 8% +0\.29$/m);
    expect(text).toMatch(/^TOTAL +USD 5\.21$/m);
    expect(text).toMatch(/^Paid \(cash\) +10\.00$/m);
    expect(text).toMatch(/^Change +4\.79$/m);
    expect(text).toMatch(/^-{42}$/m);
    expect(text).toMatch(/\n\n {7}Thank you for your purchase!\n$/);
  });

  it('prints 48 columns on request', async () => {
    const res = await receipt(sale.id, '?width=48&format=text');
    expect(res.statusCode, res.body).toBe(200);
    expectWidth(res.body, 48);
    expect(res.body).toMatch(/^-{48}$/m);
    expect(res.body).toMatch(/^TOTAL {35}USD 5\.21$/m);
  });

  it('answers ESC/POS bytes that initialise, print TOTAL and cut', async () => {
    const res = await receipt(sale.id, '?format=escpos&width=48');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    const bytes = res.rawPayload;
    expect(Array.from(bytes.subarray(0, 2))).toEqual([0x1b, 0x40]);
    const text = bytes.toString('latin1');
    expect(text).toContain('TOTAL');
    expect(text).toContain('\x1dV'); // GS V: cut
    expect(text).toContain('Paid (cash)');
  });

  it('answers an escaped, self-contained HTML page', async () => {
    const evil = '<script>alert(1)</script>';
    const created = await shop
      .as('owner')
      .post('/v1/products', { name: evil, variants: [{ sku: 'SKU-EVIL', price_cents: 100, tax_code: 'STD' }] });
    expect(created.statusCode, created.body).toBe(201);
    await stock(shop, { 'SKU-EVIL': 5 });
    const order = await sell({ tenders: [{ method: 'cash', amount_cents: 500 }] }, [{ sku: 'SKU-EVIL', quantity: 1 }]);
    expect(order.statusCode, order.body).toBe(201);

    const res = await receipt(order.json().id, '?format=html');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(res.body).not.toContain('<script');
    expect(res.body).toContain('1 x &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body).toContain('Corner &lt;Shop&gt; &amp; Co');
    expect(res.body).toContain('>Paid (cash)</td>');
  });

  it('shows a split card and cash tender', async () => {
    const res = await sell({
      tenders: [
        { method: 'external_card', amount_cents: 300, reference: 'T-1' },
        { method: 'cash', amount_cents: 500 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const text = (await receipt(res.json().id)).body;
    expect(text).toMatch(/^Paid \(card, ref T-1\) +3\.00$/m);
    expect(text).toMatch(/^Paid \(cash\) +5\.00$/m);
    expect(text).toMatch(/^Change +2\.79$/m);
  });

  it('marks a voided order', async () => {
    const res = await sell({ tenders: [{ method: 'cash', amount_cents: 521 }] });
    expect(res.statusCode, res.body).toBe(201);
    const voided = await shop.as('manager').post(`/v1/orders/${res.json().id}/void`, { reason: 'Wrong items rung up' });
    expect(voided.statusCode, voided.body).toBe(200);
    const text = (await receipt(res.json().id)).body;
    expect(text.match(/\*\*\* VOIDED \*\*\*/g)).toHaveLength(2);
    expect(text).toContain('Reason: Wrong items rung up');
  });

  it('is 404 order_not_found for an unknown order and for another tenant’s order', async () => {
    expectProblem(await receipt(newId()), 404, 'order_not_found');
    expectProblem(await receipt(sale.id, '', other.as('owner')), 404, 'order_not_found');
  });

  it('refuses an unknown format, width or parameter and a malformed id with 400 validation_failed', async () => {
    for (const query of ['?format=pdf', '?width=50', '?width=abc', '?width=42.5', '?colour=red']) {
      expectProblem(await receipt(sale.id, query), 400, 'validation_failed');
    }
    expectProblem(await receipt('not-a-uuid'), 400, 'validation_failed');
  });

  it('needs a signed-in tenant user', async () => {
    const res = await shop.anon.get(`/v1/orders/${sale.id}/receipt`);
    expectProblem(res, 401, 'unauthorized');
  });
});

describe('tenant branding (C3)', () => {
  function patch(url: string, payload: object) {
    return shop.as('owner').patch(url, payload);
  }

  it("prints the store's address under its name and the tenant's footer in text, HTML and ESC/POS", async () => {
    const address = await patch(`/v1/locations/${shop.locationId}`, {
      address_lines: ['12 Main Street', 'Springfield'],
    });
    expect(address.statusCode, address.body).toBe(200);
    const footer = await patch('/v1/settings/tenant', { receipt_footer_lines: ['See you soon!', 'Returns: 30 days'] });
    expect(footer.statusCode, footer.body).toBe(200);

    const text = (await receipt(sale.id)).body;
    const lines = text.split('\n').map((l) => l.trim());
    expect(lines.slice(0, 4)).toEqual(['Corner <Shop> & Co', address.json().name, '12 Main Street', 'Springfield']);
    expect(text).toMatch(/\n\n {14}See you soon!\n {13}Returns: 30 days\n$/);
    expect(text).not.toContain('Thank you for your purchase!');

    const html = (await receipt(sale.id, '?format=html')).body;
    for (const s of ['12 Main Street', 'Springfield', 'See you soon!', 'Returns: 30 days']) expect(html).toContain(s);
    expect(html).not.toContain('Thank you for your purchase!');

    const escpos = (await receipt(sale.id, '?format=escpos')).rawPayload.toString('latin1');
    for (const s of ['12 Main Street', 'Springfield', 'See you soon!', 'Returns: 30 days']) expect(escpos).toContain(s);

    // Another tenant's receipts keep the default footer and no address.
    const theirs = await other.as('till').post('/v1/orders/sku', {
      register_id: other.registerId,
      items: SEED_ITEMS,
      tenders: [{ method: 'cash', amount_cents: 1000 }],
    });
    expect(theirs.statusCode, theirs.body).toBe(201);
    const otherText = (await receipt(theirs.json().id, '', other.as('till'))).body;
    expect(otherText).not.toContain('12 Main Street');
    expect(otherText).toMatch(/Thank you for your purchase!\n$/);
  });

  it('goes back to the default footer when the tenant clears its own', async () => {
    expect((await patch('/v1/settings/tenant', { receipt_footer_lines: [] })).statusCode).toBe(200);
    expect((await patch(`/v1/locations/${shop.locationId}`, { address_lines: [] })).statusCode).toBe(200);
    const text = (await receipt(sale.id)).body;
    expect(text).toMatch(/\n\n {7}Thank you for your purchase!\n$/);
    expect(text).not.toContain('12 Main Street');
  });
});

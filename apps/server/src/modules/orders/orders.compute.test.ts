import { describe, expect, it } from 'vitest';
import { expectProblem, type Client } from '../../../test/harness.ts';
import { systemContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { SEED_ITEMS, useSeedShop } from './orders.fixtures.ts';

const { shop, variants } = useSeedShop({ env: { DEFAULT_TAX_RATE_BPS: '800' } });
const till = shop.as('till');
const manager = shop.as('manager');

function compute(payload: Record<string, unknown>, as: Client = till, url = '/v1/orders/compute', headers = {}) {
  return as.post(url, payload, { headers });
}

describe('POST /v1/orders/compute', () => {
  it('prices the seed example exactly: subtotal 547, discount 55, tax 29, total 521 — and writes nothing', async () => {
    const res = await compute({ items: SEED_ITEMS, discount_percent_bp: 1000 });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      subtotal_cents: 547,
      discount_cents: 55,
      tax_cents: 29,
      total_cents: 521,
      currency: 'USD',
    });
    expect(body.items).toEqual([
      {
        sku: 'SKU-SODA',
        name: 'Soda Can',
        quantity: 2,
        unit_price_cents: 199,
        line_subtotal_cents: 398,
        line_discount_cents: 40,
        discount_percent_bp: 0,
        item_discount_cents: 0,
        line_tax_cents: 29,
        line_total_cents: 387,
        tax_code: 'STD',
        tax_rate_bps: 800,
      },
      {
        sku: 'SKU-WATER',
        name: 'Bottle Water',
        quantity: 1,
        unit_price_cents: 149,
        line_subtotal_cents: 149,
        line_discount_cents: 15,
        discount_percent_bp: 0,
        item_discount_cents: 0,
        line_tax_cents: 0,
        line_total_cents: 134,
        tax_code: 'EXEMPT',
        tax_rate_bps: 0,
      },
    ]);
    expect(body).toMatchObject({ item_discount_cents: 0, order_discount_cents: 55 });
    expect(body.trace).toBeUndefined();
    const { rows } = await tenantTx(shop.deps.db, systemContext(shop.tenantId), (tx) =>
      tx.query('SELECT count(*)::int AS n FROM orders'),
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('takes a line discount before the order discount: 10 % off the Soda and 10 % off the order → 482', async () => {
    const res = await compute({
      items: [
        { sku: 'SKU-SODA', quantity: 2, discount_percent_bp: 1000 },
        { sku: 'SKU-WATER', quantity: 1 },
      ],
      discount_percent_bp: 1000,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      subtotal_cents: 547,
      item_discount_cents: 40,
      order_discount_cents: 51,
      discount_cents: 91,
      tax_cents: 26,
      total_cents: 482,
    });
    expect(
      body.items.map((l: Record<string, number>) => [
        l.discount_percent_bp,
        l.item_discount_cents,
        l.line_discount_cents,
      ]),
    ).toEqual([
      [1000, 40, 76],
      [0, 0, 15],
    ]);
  });

  it('explains each rounding with ?explain=true', async () => {
    const res = await compute(
      { items: SEED_ITEMS, discount_percent_bp: 1000 },
      till,
      '/v1/orders/compute?explain=true',
    );
    const steps = res.json().trace.map((s: { step: string }) => s.step);
    expect(steps).toContain('discount');
    expect(steps).toContain('tax_added');
  });

  it('resolves lines by variant id and product id too', async () => {
    const res = await compute({
      items: [
        { variant_id: variants.soda, quantity: 2 },
        { sku: 'SKU-WATER', quantity: 1 },
      ],
      discount_percent_bp: 1000,
    });
    expect(res.json().total_cents).toBe(521);
  });

  it('takes an explicit tax rate from a manager (body or header) and refuses it from a cashier', async () => {
    const byBody = await compute({ items: SEED_ITEMS, tax_rate_bps: 1000 }, manager);
    expect(byBody.json()).toMatchObject({ tax_rate_bps: 1000, tax_rate_source: 'explicit', tax_cents: 40 });
    const byHeader = await compute({ items: SEED_ITEMS }, manager, '/v1/orders/compute', {
      'x-tax-rate-bps': '500',
    });
    expect(byHeader.json()).toMatchObject({ tax_rate_bps: 500, tax_rate_source: 'explicit' });
    expectProblem(await compute({ items: SEED_ITEMS, tax_rate_bps: 0 }), 403, 'forbidden');
  });

  it('answers unknown SKUs with 422 unknown_sku naming every one', async () => {
    const res = await compute({
      items: [
        { sku: 'NOPE-1', quantity: 1 },
        { sku: 'SKU-SODA', quantity: 1 },
        { sku: 'NOPE-2', quantity: 1 },
      ],
    });
    expectProblem(res, 422, 'unknown_sku');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['items[0].sku', 'items[2].sku']);
    expect(res.json().unknown).toEqual(['NOPE-1', 'NOPE-2']);
  });

  it('refuses bad quantities and discounts with 400 validation_failed naming the field', async () => {
    for (const [payload, field] of [
      [{ items: [{ sku: 'SKU-SODA', quantity: 0 }] }, 'items[0].quantity'],
      [{ items: [{ sku: 'SKU-SODA', quantity: 1.5 }] }, 'items[0].quantity'],
      [{ items: [{ sku: 'SKU-SODA', quantity: 1 }], discount_percent_bp: 10_001 }, 'discount_percent_bp'],
      [{ items: [{ sku: 'SKU-SODA', quantity: 1 }], discount_percent_bp: -1 }, 'discount_percent_bp'],
      [{ items: [{ sku: 'SKU-SODA', quantity: 1, discount_percent_bp: 10_001 }] }, 'items[0].discount_percent_bp'],
      [{ items: [{ sku: 'SKU-SODA', quantity: 1, discount_percent_bp: 2.5 }] }, 'items[0].discount_percent_bp'],
      [{ items: [] }, 'items'],
    ] as const) {
      const res = await compute(payload);
      expectProblem(res, 400, 'validation_failed');
      expect(res.json().errors[0].field).toBe(field);
    }
  });
});

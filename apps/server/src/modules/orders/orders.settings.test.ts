import { beforeAll, describe, expect, it } from 'vitest';
import { useSeedShop } from './orders.fixtures.ts';

const { shop } = useSeedShop({ name: 'VAT Shop', env: { DEFAULT_TAX_RATE_BPS: '2000' } });
const till = shop.as('till');

beforeAll(async () => {
  const res = await shop.as('owner').patch('/v1/settings/tenant', {
    prices_include_tax: true,
    cash_rounding_cents: 5,
    money_rounding: 'bankers',
  });
  expect(res.statusCode, res.body).toBe(200);
});

describe('tenant money settings reach the sale', () => {
  it('takes tax out of tax-inclusive prices and rounds only the cash part to the smallest coin', async () => {
    // Soda 2 × 1.99 incl. 20 % VAT + Water 1.49 (exempt), no discount: total 5.47, of which VAT 0.66.
    const compute = await till.post('/v1/orders/compute', {
      items: [
        { sku: 'SKU-SODA', quantity: 2 },
        { sku: 'SKU-WATER', quantity: 1 },
      ],
    });
    expect(compute.json()).toMatchObject({
      prices_include_tax: true,
      total_cents: 547,
      tax_cents: 66,
      cash_due_cents: 545,
    });

    const sale = await till.post('/v1/orders/sku', {
      register_id: shop.registerId,
      items: [
        { sku: 'SKU-SODA', quantity: 2 },
        { sku: 'SKU-WATER', quantity: 1 },
      ],
      tenders: [{ method: 'cash', amount_cents: 1000 }],
    });
    expect(sale.statusCode, sale.body).toBe(201);
    expect(sale.json()).toMatchObject({
      total_cents: 547,
      paid_cents: 545,
      change_cents: 455,
      cash_rounding_cents: -2,
    });

    const card = await till.post('/v1/orders/sku', {
      register_id: shop.registerId,
      items: [
        { sku: 'SKU-SODA', quantity: 2 },
        { sku: 'SKU-WATER', quantity: 1 },
      ],
      tenders: [{ method: 'external_card', amount_cents: 547, reference: 'T-9' }],
    });
    // A card pays the exact total: cash rounding is for cash only.
    expect(card.json()).toMatchObject({ paid_cents: 547, change_cents: 0, cash_rounding_cents: 0 });
  });
});

import { expect, test } from 'vitest';
import { createdMessage, openingStockOf } from './opening-stock.ts';

const name = (id: string) => ({ a: 'Downtown', b: 'Harbour' })[id] ?? id;
const shirt = { id: 'v1', sku: 'SHIRT-S', name: 'Small' };
const scarf = { id: 'v2', sku: 'SCARF', name: null };
const variants = [shirt, scarf] as unknown as Parameters<typeof createdMessage>[0]['variants'];

test('opening stock: whole units per location; empty or 0 asks for none; anything else names the location', () => {
  expect(openingStockOf({ a: '12', b: '' }, name)).toEqual({ opening: [{ location_id: 'a', quantity: 12 }] });
  expect(openingStockOf({ a: ' 0 ', b: '3' }, name)).toEqual({ opening: [{ location_id: 'b', quantity: 3 }] });
  for (const bad of ['1.5', '-2', 'ten', '1000001']) {
    expect(openingStockOf({ b: bad }, name)).toEqual({
      error: 'Opening stock at Harbour: type a whole number of units (up to 1,000,000)',
    });
  }
});

test('the message after creation says where the product is in stock', () => {
  const opening_stock = [
    { location_id: 'a', location_name: 'Downtown', variant_id: 'v1', sku: 'SHIRT-S', on_hand: 12 },
    { location_id: 'a', location_name: 'Downtown', variant_id: 'v2', sku: 'SCARF', on_hand: 2 },
    { location_id: 'b', location_name: 'Harbour', variant_id: 'v2', sku: 'SCARF', on_hand: 3 },
  ];
  expect(createdMessage({ variants, opening_stock, stock_policy: 'block' })).toBe(
    'Product created. In stock at Downtown: 14; at Harbour: 3. It can be sold at the tills now.',
  );
});

test('without stock it says the tills will refuse it while the shop blocks sales beyond stock', () => {
  expect(createdMessage({ variants, opening_stock: [], stock_policy: 'block' })).toBe(
    'Product created. No stock yet: the tills will refuse it while the shop blocks sales beyond stock — ' +
      'add stock or change the policy.',
  );
  expect(createdMessage({ variants, opening_stock: [], stock_policy: 'allow_negative' })).toBe(
    'Product created. No stock yet: the tills sell it anyway, and its stock goes below zero (the shop allows that).',
  );
  const some = [{ location_id: 'a', location_name: 'Downtown', variant_id: 'v1', sku: 'SHIRT-S', on_hand: 5 }];
  expect(createdMessage({ variants, opening_stock: some, stock_policy: 'block' })).toBe(
    'Product created. In stock at Downtown: 5. No stock yet of SCARF: the tills will refuse it while the shop ' +
      'blocks sales beyond stock — add stock or change the policy.',
  );
});

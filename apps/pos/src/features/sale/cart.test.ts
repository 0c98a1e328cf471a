import { expect, test } from 'vitest';
import type { TillItem } from '../../api/api.ts';
import { SODA, TILL_CONTEXT, WATER } from '../../test-fixtures.ts';
import { orderBody } from '../tender/tenders.ts';
import {
  cartTotals,
  largestDiscount,
  needsApproval,
  newCart,
  repriceCart,
  setLineDiscount,
  type Cart,
  type CartLine,
} from './cart.ts';

const soda: CartLine = { ...SODA, quantity: 2 };
const water = WATER;
const ctx = TILL_CONTEXT;

const cart = (c: Partial<Cart>): Cart => ({ ...newCart(), lines: [soda, water], ...c });

test('a line discount prices as the server does: the seed cart with 10 % off the Soda and the order is 482', () => {
  const t = cartTotals(setLineDiscount(cart({ discount_bp: 1000 }), 0, 1000), ctx);
  expect(t).toMatchObject({ item_discount_cents: 40, order_discount_cents: 51, tax_cents: 26, total_cents: 482 });
});

test('the limit is on the largest stacked discount of any line', () => {
  const c = setLineDiscount(cart({ discount_bp: 800 }), 1, 500);
  expect(largestDiscount(c)).toBe(1260);
  expect(largestDiscount(c, { orderBp: 0 })).toBe(500);
  expect(largestDiscount(c, { line: { index: 1, bp: 0 } })).toBe(800);
  expect(needsApproval(c, ctx, ['cashier'])).toBe(true);
  expect(needsApproval(c, ctx, ['manager'])).toBe(false);
  const approved = { ...c, approval: { token: 't', manager_name: 'Max', max_discount_bp: 1260 } };
  expect(needsApproval(approved, ctx, ['cashier'])).toBe(false);
  // A bigger line discount later is not covered by the earlier approval.
  expect(needsApproval(setLineDiscount(approved, 0, 1000), ctx, ['cashier'])).toBe(true);
});

test('a cart parked before line discounts (no discount_bp on its lines) prices as before', () => {
  expect(cartTotals(cart({ discount_bp: 1000 }), ctx).total_cents).toBe(521);
  expect(largestDiscount(cart({ discount_bp: 1000 }))).toBe(1000);
});

test('the order the till sends carries each line discount, and none for lines without one', () => {
  const body = orderBody(setLineDiscount(cart({}), 0, 1000), [{ method: 'cash', amount_cents: 1000 }], ctx);
  expect(body.items).toEqual([
    { variant_id: soda.variant_id, quantity: 2, discount_percent_bp: 1000 },
    { variant_id: water.variant_id, quantity: 1 },
  ]);
});

test('a price change from the delta feed reprices the cart; nothing changed keeps the same cart object', () => {
  const c = cart({ discount_bp: 1000 });
  const same = repriceCart(c, (id) => (id === soda.variant_id ? { ...item(soda) } : undefined));
  expect(same).toBe(c);
  const dearer = repriceCart(c, (id) =>
    id === soda.variant_id ? { ...item(soda), unit_price_cents: 249 } : undefined,
  );
  expect(dearer.lines[0]?.unit_price_cents).toBe(249);
  expect(dearer.lines[1]).toBe(c.lines[1]);
  expect(cartTotals(dearer, ctx).subtotal_cents).toBe(2 * 249 + 149);
});

/** The catalog's item for a cart line. */
function item(line: CartLine): TillItem {
  return {
    variant_id: line.variant_id,
    product_id: line.variant_id,
    sku: line.sku,
    name: line.name,
    category_id: null,
    unit_price_cents: line.unit_price_cents,
    tax_code: line.tax_code,
    barcodes: [],
    archived: false,
  };
}

import { expect, test } from 'vitest';
import { ApiError } from '../../api/api.ts';
import { SODA, TILL_CONTEXT, WATER } from '../../test-fixtures.ts';
import { newCart, stockApprovalOf } from '../sale/cart.ts';
import { shortLinesOf, shortLineText } from './stock-short.ts';
import { orderBody } from './tenders.ts';

const refusal = (lines: unknown) =>
  new ApiError({ code: 'insufficient_stock', status: 409, body: { code: 'insufficient_stock', lines } });

test('a stock refusal names each short line by the name the cart shows, with the units wanted and in stock', () => {
  const cart = { lines: [{ ...SODA, quantity: 3 }, WATER] };
  const lines = shortLinesOf(
    refusal([
      { variant_id: SODA.variant_id, sku: 'SKU-SODA', name: 'Soda (server)', requested: 3, available: 0 },
      { variant_id: 'gone', sku: 'SKU-GONE', requested: 1, available: 0 },
    ]),
    cart,
  );
  expect(lines?.map(shortLineText)).toEqual(['Soda Can — 3 wanted, 0 in stock', 'SKU-GONE — 1 wanted, 0 in stock']);
});

test('other errors are not stock refusals', () => {
  expect(shortLinesOf(new ApiError({ code: 'invalid_tender', status: 422 }), { lines: [] })).toBeUndefined();
  expect(shortLinesOf(new Error('x'), { lines: [] })).toBeUndefined();
  expect(shortLinesOf(refusal('not a list'), { lines: [] })).toEqual([]);
});

test('the sale carries the approval to sell beyond stock for its own sale id only', () => {
  const cart = { ...newCart(), lines: [SODA] };
  const approved = { ...cart, stock_approval: { token: 't0k', manager_name: 'Max', order_id: cart.id } };
  expect(orderBody(approved, [], TILL_CONTEXT).stock_approval).toBe('t0k');
  expect(orderBody(cart, [], TILL_CONTEXT).stock_approval).toBeUndefined();
  // A new sale id (a new sale from this cart) leaves the old approval behind.
  const renamed = { ...approved, id: crypto.randomUUID() };
  expect(stockApprovalOf(renamed)).toBeUndefined();
  expect(orderBody(renamed, [], TILL_CONTEXT).stock_approval).toBeUndefined();
});

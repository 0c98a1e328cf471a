import { renderReceiptText } from '@novapos/domain';
import { expect, test } from 'vitest';
import type { TillContext } from '../../api/api.ts';
import { SODA, TILL_CONTEXT, WATER } from '../../test-fixtures.ts';
import { newCart } from '../sale/cart.ts';
import type { Tender } from '../tender/tenders.ts';
import { receiptFromCart } from './receipt-data.ts';

const soda = SODA;
const ctx = TILL_CONTEXT;

const cash: Tender[] = [{ method: 'cash', amount_cents: 500 }];
const receipt = (c: TillContext) =>
  renderReceiptText(receiptFromCart({ ...newCart(), lines: [soda] }, cash, c), { width: 42 });

test("the offline receipt prints the store's address under its name and the tenant's footer", () => {
  const lines = receipt(ctx).trimEnd().split('\n');
  const at = lines.findIndex((l) => l.trim() === 'Main Street');
  expect(lines.slice(at + 1, at + 3).map((l) => l.trim())).toEqual(['12 Main Street', 'Springfield']);
  expect(lines.slice(-2).map((l) => l.trim())).toEqual(['See you soon!', 'Returns within 30 days']);
});

test('a context cached before address and footer existed prints no address and the default footer', () => {
  const { address_lines: _a, receipt_footer_lines: _f, ...old } = ctx;
  const text = receipt(old as TillContext);
  expect(text).not.toContain('12 Main Street');
  expect(text.trimEnd().split('\n').at(-1)?.trim()).toBe('Thank you for your purchase!');
});

test('the offline receipt sums tax per rate from its lines, as the server does', () => {
  const paid: Tender[] = [{ method: 'cash', amount_cents: 1000 }];
  const data = receiptFromCart({ ...newCart(), lines: [{ ...soda, quantity: 2 }, WATER] }, paid, ctx);
  expect(data.taxes).toEqual([{ rate_bps: 800, tax_cents: 32 }]);
  expect(data).toMatchObject({ order_number: null, status: 'completed', total_cents: 579, change_cents: 421 });
  expect(data.lines.map((l) => l.line_total_cents)).toEqual([430, 149]);
});

test('a JPY till prints whole yen on its offline receipt', () => {
  const yen = { ...ctx, currency: 'JPY', tax_rate_bps: 1000 };
  const cart = { ...newCart(), lines: [{ ...soda, unit_price_cents: 480, quantity: 3 }] };
  const text = renderReceiptText(receiptFromCart(cart, [{ method: 'cash', amount_cents: 2000 }], yen), {
    width: 42,
  });
  expect(text).toMatch(/^3 x Soda Can +1440$/m);
  expect(text).toMatch(/^Tax 10% +144$/m);
  expect(text).toMatch(/^TOTAL +JPY 1584$/m);
  expect(text).toMatch(/^Change +416$/m);
});

import { renderReceiptText } from '@novapos/domain';
import { expect, test } from 'vitest';
import type { TillContext } from '../../api/api.ts';
import { SODA, TILL_CONTEXT } from '../../test-fixtures.ts';
import { newCart } from '../sale/cart.ts';
import { receiptFromCart } from './receipt-data.ts';

const soda = SODA;
const ctx = TILL_CONTEXT;

const cash = [{ method: 'cash' as const, amount_cents: 500 }];
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

import { renderReceiptText } from '@novapos/domain';
import { expect, test } from 'vitest';
import type { TillContext } from '../../api/api.ts';
import { newCart, type CartLine } from '../sale/cart.ts';
import { receiptFromCart } from './receipt-data.ts';

const soda: CartLine = {
  variant_id: '00000000-0000-7000-8000-000000000001',
  sku: 'SKU-SODA',
  name: 'Soda Can',
  unit_price_cents: 199,
  tax_code: 'STD',
  quantity: 1,
};

const ctx: TillContext = {
  register_id: '00000000-0000-7000-8000-0000000000aa',
  register_name: 'Till 1',
  location_id: '00000000-0000-7000-8000-0000000000bb',
  location_name: 'Main Street',
  business_name: 'Corner Shop',
  time_zone: 'UTC',
  address_lines: ['12 Main Street', 'Springfield'],
  receipt_footer_lines: ['See you soon!', 'Returns within 30 days'],
  currency: 'USD',
  tax_rate_bps: 800,
  tax_rate_source: 'default',
  prices_include_tax: false,
  money_rounding: 'half_up',
  cash_rounding_cents: null,
  cashier_discount_limit_bp: 1000,
  card_payments: false,
};

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

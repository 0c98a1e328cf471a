import { expect, test } from 'vitest';
import { cartTotals, type CartLine } from '../apps/pos/src/features/sale/cart.ts';
import type { TillContext } from '../apps/pos/src/api/api.ts';
import { apiAs } from './harness.ts';
import { demoItems, demoRegister } from './till.helpers.ts';

/** A small deterministic generator, so a failure names a cart that can be rebuilt. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

test('the till’s totals equal the server’s to the cent (60 random carts of the demo shop)', async () => {
  const api = await apiAs('cashier');
  const { registerId } = demoRegister();
  const ctx = (await api('GET', `/v1/pos/context?register_id=${registerId}`)).body as TillContext;
  const items = await demoItems();
  const random = rng(6);
  for (let n = 0; n < 60; n++) {
    const lines: CartLine[] = [];
    const count = 1 + Math.floor(random() * 6);
    for (let i = 0; i < count; i++) {
      const item = items[Math.floor(random() * items.length)];
      if (item === undefined || lines.some((l) => l.variant_id === item.variant_id)) continue;
      // Some lines carry their own discount, stacked under the order discount.
      const lineBp = [0, 0, 0, 500, 1000, 3333, 10_000][Math.floor(random() * 7)] ?? 0;
      lines.push({
        ...item,
        tax_code: item.tax_code as CartLine['tax_code'],
        quantity: 1 + Math.floor(random() * 5),
        discount_bp: lineBp,
      });
    }
    const discount = [0, 0, 500, 1000, 1250, 3333][Math.floor(random() * 6)] ?? 0;
    const till = cartTotals({ lines, discount_bp: discount }, ctx);
    const res = await api('POST', '/v1/orders/compute', {
      register_id: registerId,
      items: lines.map((l) => ({ variant_id: l.variant_id, quantity: l.quantity, discount_percent_bp: l.discount_bp })),
      discount_percent_bp: discount,
    });
    expect(res.status).toBe(200);
    const server = res.body as {
      subtotal_cents: number;
      item_discount_cents: number;
      discount_cents: number;
      tax_cents: number;
      total_cents: number;
    };
    expect(
      {
        subtotal: till.subtotal_cents,
        items: till.item_discount_cents,
        discount: till.discount_cents,
        tax: till.tax_cents,
        total: till.total_cents,
      },
      `cart ${n}`,
    ).toEqual({
      subtotal: server.subtotal_cents,
      items: server.item_discount_cents,
      discount: server.discount_cents,
      tax: server.tax_cents,
      total: server.total_cents,
    });
  }
});

import { describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { useSeedShop } from './orders.fixtures.ts';

// Enough connections for the sales to race in the database, not queue in the pool.
const { shop } = useSeedShop({ name: 'Rush Shop', env: { DEFAULT_TAX_RATE_BPS: '800', DATABASE_POOL_MAX: '20' } });

describe('no oversell under concurrent orders', () => {
  it('sells exactly the 10 in stock out of 50 concurrent orders (block policy); the ledger sums to 0', async () => {
    // Bring Soda down to exactly 10 on hand.
    const adjust = await shop.as('owner').post('/v1/inventory/adjustments', {
      location_id: shop.locationId,
      lines: [{ sku: 'SKU-SODA', delta: -90, reason: 'count' }],
    });
    expect(adjust.statusCode, adjust.body).toBe(201);

    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        shop.as('till').post('/v1/orders/sku', {
          register_id: shop.registerId,
          items: [{ sku: 'SKU-SODA', quantity: 1 }],
          tenders: [{ method: 'cash', amount_cents: 500 }],
        }),
      ),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'insufficient_stock')).toBe(true);

    const { rows } = await tenantTx(shop.deps.db, systemContext(shop.tenantId), (tx) =>
      tx.query<{ on_hand: number; ledger: number; sold: number; orders: number }>(
        `SELECT l.on_hand,
                (SELECT sum(delta)::int FROM stock_movements m WHERE m.variant_id = l.variant_id AND m.location_id = l.location_id) AS ledger,
                (SELECT coalesce(sum(-delta), 0)::int FROM stock_movements m WHERE m.variant_id = l.variant_id AND m.reason = 'sale') AS sold,
                (SELECT count(*)::int FROM orders WHERE status = 'completed') AS orders
           FROM stock_levels l JOIN product_variants v ON v.id = l.variant_id
          WHERE v.sku = 'SKU-SODA' AND l.location_id = $1`,
        [shop.locationId],
      ),
    );
    expect(rows[0]).toEqual({ on_hand: 0, ledger: 0, sold: 10, orders: 10 });
  });
});

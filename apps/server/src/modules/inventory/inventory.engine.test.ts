import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useShop } from '../../../test/harness.ts';
import type { RequestContext } from '../../platform/context.ts';
import { createDatabase, type Database } from '../../platform/db/database.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import {
  insertLocation,
  insertVariants,
  levelAndLedger,
  lowStockEvents,
  ownerContext,
  type TestVariant,
} from './inventory.fixtures.ts';
import { applyStockMovements, getStockLevels, type StockMovementInput, type StockPolicy } from './index.ts';

const shop = useShop({ roles: [] });
let ctx: RequestContext;
/** A pool big enough for 20 transactions at once: the app's 5 would serialise most of the race away. */
let wide: Database;

beforeAll(async () => {
  ctx = ownerContext(shop);
  wide = createDatabase({ ownerUrl: shop.t.database.ownerUrl, poolMax: 20, applicationName: 'novapos-test-wide' });
});
afterAll(async () => {
  await wide.close();
});

function move(input: Partial<StockMovementInput> & Pick<StockMovementInput, 'lines'>, db = shop.deps.db) {
  return tenantTx(db, ctx, (tx) =>
    applyStockMovements(tx, ctx, { locationId: shop.locationId, policy: 'block', reason: 'sale', ...input }),
  );
}

/** Opening stock of each variant at the shop's location. */
async function stock(variants: readonly TestVariant[], units: number): Promise<void> {
  await move({ reason: 'initial', lines: variants.map((v) => ({ variantId: v.id, delta: units })) });
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('applyStockMovements under concurrency', () => {
  it('sells exactly the 10 units on hand to 50 concurrent buyers under block, and the ledger sums to on_hand', async () => {
    const [item] = (await insertVariants(shop.db, shop.tenantId, 1, 'Hot Item')) as [TestVariant];
    await stock([item], 10);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => move({ lines: [{ variantId: item.id, delta: -1, label: 'Hot Item' }] }, wide)),
    );
    const sold = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(sold).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const err of refused) expect(err).toMatchObject({ code: 'insufficient_stock', status: 409 });
    expect((refused[0] as AppError).extra).toEqual({
      lines: [
        {
          variant_id: item.id,
          sku: item.sku,
          label: 'Hot Item',
          name: 'Hot Item',
          location_id: shop.locationId,
          requested: 1,
          available: 0,
        },
      ],
      location_id: shop.locationId,
    });
    expect((refused[0] as AppError).message).toBe('Not enough stock: Hot Item — 1 wanted, 0 in stock');
    expect(await levelAndLedger(shop.db, item.id, shop.locationId)).toEqual({ onHand: 0, ledger: 0, movements: 11 });
  });

  it('never deadlocks two sales that touch the same items in opposite order', async () => {
    for (let round = 0; round < 15; round++) {
      // Every third round uses new items, so the level rows are created by the racing transactions themselves.
      const [a, b] = (await insertVariants(shop.db, shop.tenantId, 2)) as [TestVariant, TestVariant];
      if (round % 3 !== 0) await stock([a, b], 100);
      const policy: StockPolicy = round % 3 === 0 ? 'allow_negative' : 'block';
      const ab = {
        policy,
        lines: [
          { variantId: a.id, delta: -1 },
          { variantId: b.id, delta: -2 },
        ],
      };
      const ba = {
        policy,
        lines: [
          { variantId: b.id, delta: -1 },
          { variantId: a.id, delta: -2 },
        ],
      };
      const results = await Promise.allSettled([move(ab, wide), move(ba, wide), move(ab, wide), move(ba, wide)]);
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok', 'ok']);
      const start = round % 3 === 0 ? 0 : 100;
      expect(await levelAndLedger(shop.db, a.id, shop.locationId)).toMatchObject({
        onHand: start - 6,
        ledger: start - 6,
      });
      expect(await levelAndLedger(shop.db, b.id, shop.locationId)).toMatchObject({
        onHand: start - 6,
        ledger: start - 6,
      });
    }
  });
});

describe('applyStockMovements and the stock policy', () => {
  it('under block refuses every short line at once and writes nothing', async () => {
    const [a, b, c] = (await insertVariants(shop.db, shop.tenantId, 3)) as [TestVariant, TestVariant, TestVariant];
    await stock([a, b], 5);
    await move({ lines: [{ variantId: b.id, delta: -3 }] });
    const err = await failure(
      move({
        lines: [
          { variantId: a.id, delta: -5 },
          { variantId: b.id, delta: -1, label: 'B' },
          { variantId: b.id, delta: -2 },
          { variantId: c.id, delta: -1, label: 'C' },
        ],
      }),
    );
    expect(err.code).toBe('insufficient_stock');
    // b's two lines are judged together (3 wanted, 2 there); c was never stocked.
    expect(err.extra?.lines).toEqual([
      { variant_id: b.id, sku: b.sku, label: 'B', name: 'B', location_id: shop.locationId, requested: 3, available: 2 },
      { variant_id: c.id, sku: c.sku, label: 'C', name: 'C', location_id: shop.locationId, requested: 1, available: 0 },
    ]);
    expect(await levelAndLedger(shop.db, a.id, shop.locationId)).toEqual({ onHand: 5, ledger: 5, movements: 1 });
    expect(await levelAndLedger(shop.db, b.id, shop.locationId)).toEqual({ onHand: 2, ledger: 2, movements: 2 });
    expect(await levelAndLedger(shop.db, c.id, shop.locationId)).toEqual({
      onHand: undefined,
      ledger: 0,
      movements: 0,
    });
  });

  it('under block accepts lines that net to what is on hand, and a take of exactly all of it', async () => {
    const [a] = (await insertVariants(shop.db, shop.tenantId, 1)) as [TestVariant];
    await stock([a], 2);
    const { levels } = await move({
      lines: [
        { variantId: a.id, delta: -3 },
        { variantId: a.id, delta: 1, reason: 'return' },
      ],
    });
    expect(levels).toEqual([
      {
        variantId: a.id,
        locationId: shop.locationId,
        sku: a.sku,
        onHand: 0,
        lowStockThreshold: null,
        belowThreshold: false,
      },
    ]);
    expect(await levelAndLedger(shop.db, a.id, shop.locationId)).toEqual({ onHand: 0, ledger: 0, movements: 3 });
  });

  it('under allow_negative lets on_hand go below zero, and the ledger follows', async () => {
    const [a] = (await insertVariants(shop.db, shop.tenantId, 1)) as [TestVariant];
    await stock([a], 1);
    const { levels, short } = await move({ policy: 'allow_negative', lines: [{ variantId: a.id, delta: -4 }] });
    expect(levels[0]?.onHand).toBe(-3);
    // What went below zero is said, for the caller to audit (an oversold sale).
    expect(short).toEqual([
      {
        variant_id: a.id,
        sku: a.sku,
        label: undefined,
        name: a.sku,
        location_id: shop.locationId,
        requested: 4,
        available: 1,
      },
    ]);
    expect(await levelAndLedger(shop.db, a.id, shop.locationId)).toEqual({ onHand: -3, ledger: -3, movements: 2 });
    // Back under block, a negative level takes nothing more but still takes stock in.
    expect((await failure(move({ lines: [{ variantId: a.id, delta: -1 }] }))).extra?.lines).toMatchObject([
      { requested: 1, available: 0 },
    ]);
    await move({ reason: 'receipt', lines: [{ variantId: a.id, delta: 5 }] });
    expect(await levelAndLedger(shop.db, a.id, shop.locationId)).toEqual({ onHand: 2, ledger: 2, movements: 3 });
  });

  it('records the reference, reason, note and actor of each movement', async () => {
    const [a] = (await insertVariants(shop.db, shop.tenantId, 1)) as [TestVariant];
    const orderId = '01890000-0000-7000-8000-0000000000aa';
    const { movementIds } = await move({
      reason: 'void',
      reference: { type: 'order', id: orderId },
      lines: [{ variantId: a.id, delta: 2, note: 'voided at till 1' }],
    });
    const { rows } = await shop.db.query('SELECT * FROM stock_movements WHERE id = $1', [movementIds[0]]);
    expect(rows[0]).toMatchObject({
      tenant_id: shop.tenantId,
      reason: 'void',
      reference_type: 'order',
      reference_id: orderId,
      note: 'voided at till 1',
      actor_id: shop.ownerId,
      delta: 2,
    });
  });

  it('refuses a variant of another tenant and a zero delta', async () => {
    const other = await shop.addTenant('Other Shop', []);
    const [foreign] = (await insertVariants(shop.db, other.tenantId, 1)) as [TestVariant];
    const err = await failure(move({ reason: 'receipt', lines: [{ variantId: foreign.id, delta: 1 }] }));
    expect(err.code).toBe('variant_not_found');
    const [mine] = (await insertVariants(shop.db, shop.tenantId, 1)) as [TestVariant];
    await expect(move({ lines: [{ variantId: mine.id, delta: 0 }] })).rejects.toThrow(RangeError);
  });
});

describe('low-stock alerts', () => {
  it('raises inventory.low_stock once per crossing of the threshold', async () => {
    const [a] = (await insertVariants(shop.db, shop.tenantId, 1)) as [TestVariant];
    await stock([a], 5);
    await shop.db.query('UPDATE stock_levels SET low_stock_threshold = 3 WHERE variant_id = $1', [a.id]);
    const sell = (n: number) => move({ lines: [{ variantId: a.id, delta: -n }] });

    await sell(1); // 4: above
    expect(await lowStockEvents(shop.db, a.id)).toHaveLength(0);
    const { levels } = await sell(1); // 3: reaches the threshold
    expect(levels[0]).toMatchObject({ onHand: 3, belowThreshold: true });
    await sell(1); // 2: still below, no new alert
    expect(await lowStockEvents(shop.db, a.id)).toEqual([
      { variant_id: a.id, location_id: shop.locationId, sku: a.sku, on_hand: 3, threshold: 3 },
    ]);
    await move({ reason: 'receipt', lines: [{ variantId: a.id, delta: 10 }] }); // 12: re-armed
    expect((await getLevel(a.id))?.belowThreshold).toBe(false);
    await sell(10); // 2: the second crossing
    await sell(1); // 1
    const events = await lowStockEvents(shop.db, a.id);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ on_hand: 2, threshold: 3 });
  });

  it('raises nothing for a refused sale or a level without a threshold', async () => {
    const [a, b] = (await insertVariants(shop.db, shop.tenantId, 2)) as [TestVariant, TestVariant];
    await stock([a, b], 1);
    await shop.db.query('UPDATE stock_levels SET low_stock_threshold = 0 WHERE variant_id = $1', [a.id]);
    await failure(move({ lines: [{ variantId: a.id, delta: -2 }] }));
    await move({ lines: [{ variantId: b.id, delta: -1 }] });
    expect(await lowStockEvents(shop.db, a.id)).toHaveLength(0);
    expect(await lowStockEvents(shop.db, b.id)).toHaveLength(0);
  });
});

function getLevel(variantId: string) {
  return tenantTx(shop.deps.db, ctx, async (tx) => {
    const [level] = await getStockLevels(tx, ctx, { locationId: shop.locationId, variantIds: [variantId] });
    return level;
  });
}

describe('the ledger', () => {
  it('sums to on_hand for every level after any sequence of movements', async () => {
    const variants = await insertVariants(shop.db, shop.tenantId, 3, 'Random Walk');
    const locations = [shop.locationId, await insertLocation(shop.db, shop.tenantId, 'Random Walk Store')];
    const line = fc.record({
      variant: fc.integer({ min: 0, max: 2 }),
      delta: fc.integer({ min: -6, max: 6 }).filter((d) => d !== 0),
    });
    const call = fc.record({
      location: fc.integer({ min: 0, max: 1 }),
      policy: fc.constantFrom<StockPolicy>('block', 'allow_negative'),
      lines: fc.array(line, { minLength: 1, maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 6 }), async (calls) => {
        for (const c of calls) {
          await move({
            locationId: locations[c.location],
            policy: c.policy,
            reason: 'adjustment',
            lines: c.lines.map((l) => ({ variantId: (variants[l.variant] as TestVariant).id, delta: l.delta })),
          }).catch((err: unknown) => {
            if (!(err instanceof AppError && err.code === 'insufficient_stock')) throw err;
          });
        }
        const { rows } = await shop.db.query<{ on_hand: number; ledger: number }>(
          `SELECT l.on_hand, (SELECT coalesce(sum(m.delta), 0)::int FROM stock_movements m
                               WHERE m.variant_id = l.variant_id AND m.location_id = l.location_id) AS ledger
             FROM stock_levels l WHERE l.tenant_id = $1`,
          [shop.tenantId],
        );
        for (const r of rows) expect(r.on_hand).toBe(r.ledger);
      }),
      { numRuns: 25 },
    );
  });

  it('cannot be gone behind: the app role may not write on_hand nor change or delete a movement', async () => {
    const [a] = (await insertVariants(shop.db, shop.tenantId, 1)) as [TestVariant];
    await stock([a], 3);
    const attempts = [
      ['UPDATE stock_levels SET on_hand = 99 WHERE variant_id = $1', [a.id]],
      [
        'INSERT INTO stock_levels (tenant_id, variant_id, location_id, on_hand) VALUES ($1, $2, $3, 99)',
        [shop.tenantId, a.id, shop.locationId],
      ],
      ['UPDATE stock_movements SET delta = 99 WHERE variant_id = $1', [a.id]],
      ['DELETE FROM stock_movements WHERE variant_id = $1', [a.id]],
      ['DELETE FROM stock_levels WHERE variant_id = $1', [a.id]],
    ] as const;
    for (const [sql, params] of attempts) {
      await expect(tenantTx(shop.deps.db, ctx, (tx) => tx.query(sql, [...params]))).rejects.toThrow(
        /permission denied/,
      );
    }
    expect(await levelAndLedger(shop.db, a.id, shop.locationId)).toEqual({ onHand: 3, ledger: 3, movements: 1 });
  });
});

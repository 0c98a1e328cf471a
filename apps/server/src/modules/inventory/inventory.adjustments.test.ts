import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, PASSWORD, useShop, type Client, type RequestOptions } from '../../../test/harness.ts';
import { newId } from '../../platform/ids.ts';
import { insertLocation, insertVariants, levelAndLedger, type TestVariant } from './inventory.fixtures.ts';

const shop = useShop({ roles: ['owner', 'cashier'] });
const owner = shop.as('owner');
const cashier = shop.as('cashier');
let variants: TestVariant[];

beforeAll(async () => {
  variants = await insertVariants(shop.db, shop.tenantId, 4, 'Oat Milk', 'OAT');
});

function adjust(as: Client, payload: unknown, options?: RequestOptions) {
  return as.post('/v1/inventory/adjustments', payload, options);
}

function v(i: number): TestVariant {
  return variants[i] as TestVariant;
}

async function movementCount(): Promise<number> {
  const { rows } = await shop.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM stock_movements WHERE tenant_id = $1',
    [shop.tenantId],
  );
  return rows[0]!.n;
}

describe('POST /v1/inventory/adjustments', () => {
  it('adjusts by SKU and by variant id, returns the levels, links the movements and audits them', async () => {
    const res = await adjust(owner, {
      location_id: shop.locationId,
      lines: [
        { sku: v(0).sku, delta: 12, reason: 'initial' },
        { variant_id: v(1).id, delta: 7, reason: 'receipt', note: 'delivery 42' },
        { sku: v(0).sku, delta: -2, reason: 'damage' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.location_id).toBe(shop.locationId);
    expect(body.levels).toEqual(
      [
        { variant_id: v(0).id, sku: v(0).sku, on_hand: 10 },
        { variant_id: v(1).id, sku: v(1).sku, on_hand: 7 },
      ]
        .map((l) => ({ ...l, location_id: shop.locationId, low_stock_threshold: null, below_threshold: false }))
        .sort((a, b) => (a.variant_id < b.variant_id ? -1 : 1)),
    );
    const { rows: movements } = await shop.db.query(
      'SELECT variant_id, delta, reason, note, reference_type, actor_id FROM stock_movements WHERE reference_id = $1 ORDER BY id',
      [body.id],
    );
    expect(movements).toEqual(
      [
        { variant_id: v(0).id, delta: 12, reason: 'initial', note: null },
        { variant_id: v(1).id, delta: 7, reason: 'receipt', note: 'delivery 42' },
        { variant_id: v(0).id, delta: -2, reason: 'damage', note: null },
      ].map((m) => ({ ...m, reference_type: 'stock_adjustment', actor_id: shop.ownerId })),
    );
    const audit = await shop.audit({ entityId: body.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'inventory.adjusted', data: { location_id: shop.locationId } });
    expect(audit[0]!.data.lines).toHaveLength(3);
    expect(await levelAndLedger(shop.db, v(0).id, shop.locationId)).toMatchObject({ onHand: 10, ledger: 10 });
  });

  it('is for managers and up: a cashier gets 403', async () => {
    const res = await adjust(cashier, {
      location_id: shop.locationId,
      lines: [{ sku: v(0).sku, delta: 1, reason: 'count' }],
    });
    expectProblem(res, 403, 'forbidden');
  });

  it('refuses bad lines with 400 naming the field, and writes nothing', async () => {
    const before = await movementCount();
    const line = { sku: v(0).sku, delta: 1, reason: 'receipt' };
    const cases: [unknown, string | undefined][] = [
      [{ location_id: shop.locationId, lines: [line, { ...line, delta: 0 }] }, 'lines[1].delta'],
      [{ location_id: shop.locationId, lines: [{ ...line, variant_id: v(0).id }] }, 'lines[0]'],
      [{ location_id: shop.locationId, lines: [{ delta: 1, reason: 'receipt' }] }, 'lines[0]'],
      [{ location_id: shop.locationId, lines: Array.from({ length: 501 }, () => line) }, undefined],
      [{ location_id: shop.locationId, lines: [] }, undefined],
      [{ location_id: shop.locationId, lines: [{ ...line, delta: 1_000_001 }] }, undefined],
      [{ location_id: shop.locationId, lines: [{ ...line, delta: 1.5 }] }, undefined],
      [{ location_id: shop.locationId, lines: [{ ...line, reason: 'sale' }] }, undefined],
      [{ location_id: shop.locationId, lines: [{ ...line, extra: true }] }, undefined],
    ];
    for (const [payload, field] of cases) {
      const res = await adjust(owner, payload);
      expectProblem(res, 400, 'validation_failed');
      if (field !== undefined) expect(res.json().errors[0].field).toBe(field);
    }
    expect(await movementCount()).toBe(before);
  });

  it('answers 422 unknown_sku naming each unknown line, and 404 for an unknown variant id', async () => {
    const before = await movementCount();
    const res = await adjust(owner, {
      location_id: shop.locationId,
      lines: [
        { sku: v(0).sku, delta: 1, reason: 'receipt' },
        { sku: 'NO-SUCH', delta: 1, reason: 'receipt' },
        { sku: v(1).sku, delta: 1, reason: 'receipt' },
        { sku: 'ALSO-NOT', delta: 1, reason: 'receipt' },
      ],
    });
    expectProblem(res, 422, 'unknown_sku');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['lines[1].sku', 'lines[3].sku']);
    const missing = await adjust(owner, {
      location_id: shop.locationId,
      lines: [{ variant_id: newId(), delta: 1, reason: 'receipt' }],
    });
    expectProblem(missing, 404, 'variant_not_found');
    expect(missing.json().errors[0].field).toBe('lines[0].variant_id');
    expect(await movementCount()).toBe(before);
  });

  it('follows the tenant policy: block refuses a take below zero (409), allow_negative lets it through', async () => {
    await adjust(owner, { location_id: shop.locationId, lines: [{ sku: v(2).sku, delta: 2, reason: 'initial' }] });
    const before = await movementCount();
    const res = await adjust(owner, {
      location_id: shop.locationId,
      lines: [{ sku: v(2).sku, delta: -5, reason: 'count' }],
    });
    expectProblem(res, 409, 'insufficient_stock');
    expect(res.json().lines).toEqual([
      {
        variant_id: v(2).id,
        sku: v(2).sku,
        label: v(2).sku,
        name: v(2).sku,
        location_id: shop.locationId,
        requested: 5,
        available: 2,
      },
    ]);
    expect(await movementCount()).toBe(before);

    await shop.db.query(`UPDATE tenants SET stock_policy = 'allow_negative' WHERE id = $1`, [shop.tenantId]);
    try {
      const ok = await adjust(owner, {
        location_id: shop.locationId,
        lines: [{ sku: v(2).sku, delta: -5, reason: 'count' }],
      });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json().levels[0].on_hand).toBe(-3);
    } finally {
      await shop.db.query(`UPDATE tenants SET stock_policy = 'block' WHERE id = $1`, [shop.tenantId]);
    }
  });

  it('replays the first response for the same Idempotency-Key, moving stock once', async () => {
    const key = newId();
    const payload = { location_id: shop.locationId, lines: [{ sku: v(3).sku, delta: 4, reason: 'receipt' }] };
    const first = await adjust(owner, payload, { idempotencyKey: key });
    expect(first.statusCode, first.body).toBe(201);
    const again = await adjust(owner, payload, { idempotencyKey: key });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await levelAndLedger(shop.db, v(3).id, shop.locationId)).toEqual({ onHand: 4, ledger: 4, movements: 1 });
  });

  it("answers 404 for another tenant's location and 422 for its SKUs", async () => {
    const other = await shop.addTenant('Other Shop', []);
    const [foreign] = (await insertVariants(shop.db, other.tenantId, 1)) as [TestVariant];
    const line = { sku: v(0).sku, delta: 1, reason: 'receipt' };
    expectProblem(await adjust(owner, { location_id: other.locationId, lines: [line] }), 404, 'location_not_found');
    const res = await adjust(owner, { location_id: shop.locationId, lines: [{ ...line, sku: foreign.sku }] });
    expectProblem(res, 422, 'unknown_sku');
  });

  it('keeps a manager with a location scope to their locations, and refuses an archived location', async () => {
    const far = await insertLocation(shop.db, shop.tenantId, 'Far Away Store');
    const email = `scoped.${newId()}@example.com`;
    const created = await owner.post('/v1/users', {
      email,
      display_name: 'Scoped Manager',
      password: PASSWORD,
      roles: ['manager'],
      location_ids: [far],
    });
    expect(created.statusCode, created.body).toBe(201);
    const scoped = shop.withToken((await shop.login(email)).access_token);
    const line = { sku: v(0).sku, delta: 3, reason: 'receipt' };
    expectProblem(await adjust(scoped, { location_id: shop.locationId, lines: [line] }), 403, 'forbidden');
    const ok = await adjust(scoped, { location_id: far, lines: [line] });
    expect(ok.statusCode, ok.body).toBe(201);

    const list = await scoped.get('/v1/inventory');
    expect(list.statusCode).toBe(200);
    expect(new Set(list.json().data.map((r: { location_id: string }) => r.location_id))).toEqual(new Set([far]));
    const elsewhere = await scoped.get(`/v1/inventory?location_id=${shop.locationId}`);
    expectProblem(elsewhere, 403, 'forbidden');

    const archived = await owner.post(`/v1/locations/${far}/archive`);
    expect(archived.statusCode, archived.body).toBe(200);
    expectProblem(await adjust(owner, { location_id: far, lines: [line] }), 409, 'location_archived');
  });
});

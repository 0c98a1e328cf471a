import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { expectProblem, type Client } from '../../../test/harness.ts';
import { SEED_ITEMS, useSeedShop } from '../orders/orders.fixtures.ts';

const { shop } = useSeedShop({ env: { DEFAULT_TAX_RATE_BPS: '800' } });
const till = shop.as('till');
const manager = shop.as('manager');
const owner = shop.as('owner');

async function approve(payload: Record<string, unknown>, as: Client = till) {
  return as.post('/v1/pos/discount-approvals', payload);
}

function sale(id: string, discount: number, approval?: string) {
  return {
    id,
    register_id: shop.registerId,
    items: SEED_ITEMS,
    discount_percent_bp: discount,
    ...(approval === undefined ? {} : { discount_approval: approval }),
    tenders: [{ method: 'cash', amount_cents: 10_000 }],
  };
}

async function order(payload: Record<string, unknown>, as: Client = till) {
  return as.post('/v1/orders/sku', payload);
}

describe('GET /v1/pos/context', () => {
  test('the pricing inputs of the register and the cashier limit', async () => {
    const res = await till.get(`/v1/pos/context?register_id=${shop.registerId}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      register_id: shop.registerId,
      location_id: shop.locationId,
      currency: 'USD',
      tax_rate_bps: 800,
      prices_include_tax: false,
      money_rounding: 'half_up',
      cash_rounding_cents: null,
      cashier_discount_limit_bp: 1000,
      card_payments: false,
    });
  });

  test("the receipt's address and footer, as the server's receipts print them", async () => {
    const context = () => till.get(`/v1/pos/context?register_id=${shop.registerId}`);
    expect((await context()).json()).toMatchObject({
      address_lines: [],
      receipt_footer_lines: ['Thank you for your purchase!'],
    });
    const set = [
      await owner.patch(`/v1/locations/${shop.locationId}`, { address_lines: ['12 Main Street', 'Springfield'] }),
      await owner.patch('/v1/settings/tenant', { receipt_footer_lines: ['See you soon!'] }),
    ];
    for (const res of set) expect(res.statusCode, res.body).toBe(200);
    expect((await context()).json()).toMatchObject({
      address_lines: ['12 Main Street', 'Springfield'],
      receipt_footer_lines: ['See you soon!'],
    });
  });

  test('an unknown register is 404, a bad id 400', async () => {
    const unknown = await till.get(`/v1/pos/context?register_id=${randomUUID()}`);
    expectProblem(unknown, 404, 'register_not_found');
    const bad = await till.get('/v1/pos/context?register_id=x');
    expectProblem(bad, 400, 'validation_failed');
  });
});

describe('discounts above the cashier limit', () => {
  test('a cashier gives up to the limit (10 %) alone', async () => {
    const res = await order(sale(randomUUID(), 1000));
    expect(res.statusCode, res.body).toBe(201);
  });

  test('above it without an approval: 403 discount_approval_required and nothing written', async () => {
    const id = randomUUID();
    const res = await order(sale(id, 2500));
    expectProblem(res, 403, 'discount_approval_required');
    expect(res.json().limit_bp).toBe(1000);
    const read = await owner.get(`/v1/orders/${id}`);
    expect(read.statusCode).toBe(404);
  });

  test('a manager PIN approves one sale; the approval is audited and the order goes through', async () => {
    const id = randomUUID();
    const res = await approve({
      register_id: shop.registerId,
      order_id: id,
      discount_bp: 2500,
      pin: shop.pins.manager,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      manager_name: 'Max Manager',
      max_discount_bp: 2500,
      manager_id: shop.userIds.manager,
    });
    const audited = await shop.audit({ action: 'pos.discount_approved' });
    expect(audited).toContainEqual(
      expect.objectContaining({
        entity_id: id,
        data: expect.objectContaining({
          discount_bp: 2500,
          manager_id: shop.userIds.manager,
          cashier_id: shop.userIds.cashier,
        }),
      }),
    );
    const created = await order(sale(id, 2500, body.approval));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().discount_percent_bp).toBe(2500);
    // A replay of the same sale (the till's offline queue) is the same order, not a second one.
    const replay = await order(sale(id, 2500, body.approval));
    expect(replay.statusCode).toBe(200);
    expect(replay.json().id).toBe(id);
  });

  test('an approval is for its own sale, register and amount only', async () => {
    const id = randomUUID();
    const { approval } = (
      await approve({ register_id: shop.registerId, order_id: id, discount_bp: 2000, pin: shop.pins.manager })
    ).json();
    expectProblem(await order(sale(randomUUID(), 2000, approval)), 403, 'invalid_approval');
    expectProblem(await order(sale(id, 2100, approval)), 403, 'invalid_approval');
    expectProblem(await order(sale(id, 2000, `${approval}x`)), 403, 'invalid_approval');
    expectProblem(await order(sale(id, 2000, await shop.token('manager'))), 403, 'invalid_approval');
  });

  test("a cashier's own PIN or a wrong PIN approves nothing, and the refusal is audited", async () => {
    const id = randomUUID();
    const own = await approve({
      register_id: shop.registerId,
      order_id: id,
      discount_bp: 2000,
      pin: shop.pins.cashier,
    });
    expectProblem(own, 401, 'invalid_pin');
    const wrong = await approve({ register_id: shop.registerId, order_id: id, discount_bp: 2000, pin: '99999999' });
    expectProblem(wrong, 401, 'invalid_pin');
    expect(await shop.audit({ action: 'pos.discount_approval_refused', entityId: id })).toMatchAudit([
      'pos.discount_approval_refused',
      'pos.discount_approval_refused',
    ]);
  });

  test('bad approval requests are 400 and 404', async () => {
    expectProblem(
      await approve({ register_id: shop.registerId, order_id: randomUUID(), discount_bp: 0, pin: '1234' }),
      400,
      'validation_failed',
    );
    expectProblem(
      await approve({ register_id: shop.registerId, order_id: 'x', discount_bp: 100, pin: '1234' }),
      400,
      'validation_failed',
    );
    expectProblem(
      await approve({ register_id: randomUUID(), order_id: randomUUID(), discount_bp: 2000, pin: shop.pins.manager }),
      404,
      'register_not_found',
    );
  });

  test('line discounts count too, stacked with the order discount (10 % + 10 % is 19 % on that line)', async () => {
    const withLine = (id: string, lineBp: number, orderBp: number, approval?: string) => ({
      ...sale(id, orderBp, approval),
      items: [{ sku: 'SKU-SODA', quantity: 2, discount_percent_bp: lineBp }, SEED_ITEMS[1]],
    });
    // Each within the limit alone: fine.
    expect((await order(withLine(randomUUID(), 1000, 0))).statusCode).toBe(201);
    // A line discount over the limit, and two that stack over it, need a manager.
    expectProblem(await order(withLine(randomUUID(), 1500, 0)), 403, 'discount_approval_required');
    const id = randomUUID();
    expectProblem(await order(withLine(id, 1000, 1000)), 403, 'discount_approval_required');
    // An approval of the order discount alone (10 %) does not cover the 19 % on the line; one of 19 % does.
    const small = await approve({
      register_id: shop.registerId,
      order_id: id,
      discount_bp: 1000,
      pin: shop.pins.manager,
    });
    expect(small.statusCode, small.body).toBe(201);
    expectProblem(await order(withLine(id, 1000, 1000, small.json().approval)), 403, 'invalid_approval');
    const enough = await approve({
      register_id: shop.registerId,
      order_id: id,
      discount_bp: 1900,
      pin: shop.pins.manager,
    });
    const created = await order(withLine(id, 1000, 1000, enough.json().approval));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ item_discount_cents: 40, order_discount_cents: 51, total_cents: 482 });
  });

  test('a manager gives any discount without an approval', async () => {
    const res = await order(sale(randomUUID(), 5000), manager);
    expect(res.statusCode, res.body).toBe(201);
  });
});

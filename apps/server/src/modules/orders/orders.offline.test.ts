import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { bodyOf, expectProblem, type Tenant } from '../../../test/harness.ts';
import { stock } from '../../../test/fixtures.ts';
import { addDevice, keyPair, offlineSale, signSale, type TestDevice } from './offline.fixtures.ts';
import { useSeedShop } from './orders.fixtures.ts';

const { shop } = useSeedShop({ env: { DEFAULT_TAX_RATE_BPS: '800' } });
const till = shop.as('till');
const manager = shop.as('manager');
const owner = shop.as('owner');

let skuCounter = 0;
/** A fresh product (exempt from tax unless told, so a total is its prices) with `onHand` in stock. */
async function product(tenant: Tenant, price: number, onHand = 50, taxCode = 'EXEMPT') {
  const sku = `SKU-OFF-${++skuCounter}`;
  const res = await tenant.as('owner').post('/v1/products', {
    name: `Offline item ${skuCounter}`,
    variants: [{ sku, price_cents: price, tax_code: taxCode }],
  });
  const variantId = bodyOf<{ variants: { id: string }[] }>(res, 201).variants[0]!.id;
  if (onHand > 0) await stock(tenant, { [sku]: onHand });
  return { sku, variantId };
}

/** One line of `quantity` × a product at `price`, as the till locked it. */
function oneLine(variantId: string, price: number, quantity = 1) {
  return {
    items: [{ variant_id: variantId, quantity }],
    lock: { prices: [price], taxRateBps: 800, totalCents: price * quantity },
  };
}

async function attention() {
  return bodyOf<{
    gaps: { device_id: string; from_seq: number; to_seq: number }[];
    refused: {
      order_id: string;
      device_id: string;
      seq: number;
      code: string;
      diff: { changes: { kind: string }[] } | null;
    }[];
    review: { order_id: string; card_cents: number }[];
  }>(await manager.get('/v1/pos/attention'), 200);
}

async function approval(orderId: string, kind: 'keep_till_prices' | 'sell_beyond_stock') {
  const res = await till.post('/v1/pos/replay-approvals', {
    register_id: shop.registerId,
    order_id: orderId,
    kind,
    pin: shop.pins.manager,
  });
  return bodyOf<{ approval: string; approval_id: string; manager_id: string }>(res, 201);
}

describe('POST /v1/registers/{id}/devices', () => {
  test('a manager issues a device with its public key; audited on the register', async () => {
    const { publicKey } = keyPair();
    const res = await manager.post(`/v1/registers/${shop.registerId}/devices`, {
      public_key: publicKey,
      label: 'Front till',
    });
    const device = bodyOf<{ device_id: string; register_id: string; label: string }>(res, 201);
    expect(device).toMatchObject({ register_id: shop.registerId, label: 'Front till' });
    expect(await shop.audit({ entityId: shop.registerId, action: 'pos.device_registered', last: 1 })).toMatchAudit([
      {
        action: 'pos.device_registered',
        data: { device_id: device.device_id, label: 'Front till', public_key: publicKey },
      },
    ]);
  });

  test('a cashier may not; a bad key, a control character or an unknown register is refused', async () => {
    const { publicKey } = keyPair();
    const url = `/v1/registers/${shop.registerId}/devices`;
    expectProblem(await till.post(url, { public_key: publicKey, label: 'x' }), 403, 'forbidden');
    expectProblem(await manager.post(url, { public_key: 'short', label: 'x' }), 400, 'validation_failed');
    // 43 base64url characters whose last one carries bits beyond the 32 bytes: not a canonical key.
    expectProblem(
      await manager.post(url, { public_key: `${publicKey.slice(0, 42)}B`, label: 'x' }),
      400,
      'validation_failed',
    );
    expectProblem(await manager.post(url, { public_key: publicKey, label: 'Till\u0000' }), 400, 'validation_failed');
    expectProblem(await manager.post(url, { public_key: publicKey, label: '' }), 400, 'validation_failed');
    expectProblem(await manager.post(url, { public_key: publicKey, label: 'x'.repeat(101) }), 400, 'validation_failed');
    expectProblem(
      await manager.post(`/v1/registers/${randomUUID()}/devices`, { public_key: publicKey, label: 'x' }),
      404,
      'register_not_found',
    );
  });
});

describe("a register's devices", () => {
  test("listed for a manager; a revoked device's sales are refused from then on (audited)", async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 100);
    const url = `/v1/registers/${shop.registerId}/devices`;
    const listed = bodyOf<{ devices: { device_id: string; revoked_at: string | null }[] }>(await manager.get(url), 200);
    expect(listed.devices.find((d) => d.device_id === device.id)).toMatchObject({ revoked_at: null });
    expectProblem(await till.get(url), 403, 'forbidden');
    expectProblem(await manager.get(`/v1/registers/${randomUUID()}/devices`), 404, 'register_not_found');

    bodyOf(await till.post('/v1/orders', offlineSale(device, oneLine(variantId, 100))), 201);
    expectProblem(await till.post(`${url}/${device.id}/revoke`), 403, 'forbidden');
    const revoked = bodyOf<{ revoked_at: string | null }>(await manager.post(`${url}/${device.id}/revoke`), 200);
    expect(revoked.revoked_at).not.toBeNull();
    expectProblem(await manager.post(`${url}/${device.id}/revoke`), 404, 'device_not_found');
    expectProblem(await manager.post(`${url}/${randomUUID()}/revoke`), 404, 'device_not_found');
    expect(await shop.audit({ entityId: shop.registerId, action: 'pos.device_revoked', last: 1 })).toMatchAudit([
      { action: 'pos.device_revoked', data: expect.objectContaining({ device_id: device.id }) },
    ]);
    expectProblem(await till.post('/v1/orders', offlineSale(device, oneLine(variantId, 100))), 404, 'device_not_found');
  });
});

describe('a sale taken offline', () => {
  test("accepted as it is: the till's time and the server's, recorded once whatever client id it comes under", async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 300);
    const sale = offlineSale(device, { ...oneLine(variantId, 300, 2), createdAt: '2026-12-05T07:00:00.000Z' });
    const first = bodyOf<{ id: string; created_offline_at: string; created_at: string; status: string }>(
      await till.post('/v1/orders', sale),
      201,
    );
    expect(first).toMatchObject({ id: sale.id, status: 'completed', created_offline_at: '2026-12-05T07:00:00.000Z' });
    expect(first.created_at).not.toBe(first.created_offline_at);
    // The same client id again (a retry), then the same sale under a new client id (after "Reset this till").
    expect(bodyOf<{ id: string }>(await till.post('/v1/orders', sale), 200).id).toBe(sale.id);
    const again = await till.post('/v1/orders', { ...sale, id: randomUUID() });
    expect(bodyOf<{ id: string }>(again, 200).id).toBe(sale.id);
    const list = bodyOf<{ data: { id: string }[] }>(
      await owner.get(`/v1/orders?register_id=${shop.registerId}&limit=100`),
      200,
    );
    expect(list.data.filter((o) => o.id === sale.id)).toHaveLength(1);
    const receipt = await till.get(`/v1/orders/${sale.id}`);
    expect(bodyOf<{ created_offline_at: string }>(receipt, 200).created_offline_at).toBe('2026-12-05T07:00:00.000Z');
    // The receipt copy prints the till's time as the sale's, and the server's as "Synced".
    const text = (await till.get(`/v1/orders/${sale.id}/receipt?format=text`)).body;
    expect(text).toMatch(/^Receipt #\d+ +2026-12-05 07:00$/m);
    expect(text).toMatch(/^Synced +\S/m);
  });

  test('two copies at once under two client ids: one order', async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 250);
    const sale = offlineSale(device, oneLine(variantId, 250));
    const [a, b] = await Promise.all([
      till.post('/v1/orders', sale),
      till.post('/v1/orders', { ...sale, id: randomUUID() }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(bodyOf<{ id: string }>(a).id).toBe(bodyOf<{ id: string }>(b).id);
  });

  test('a tampered sale is refused and audited; nothing is sold', async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 500);
    const sale = offlineSale(device, oneLine(variantId, 500));
    const tampered = { ...sale, items: [{ variant_id: variantId, quantity: 5 }] };
    expectProblem(await till.post('/v1/orders', tampered), 422, 'offline_signature_invalid');
    expectProblem(await till.get(`/v1/orders/${sale.id}`), 404, 'order_not_found');
    expect(await shop.audit({ action: 'order.offline_sale_forged', last: 1 })).toMatchAudit([
      {
        action: 'order.offline_sale_forged',
        data: expect.objectContaining({ device_id: device.id, seq: sale.offline.seq, reason: 'bad_signature' }),
      },
    ]);
    // Signed by another key: refused too.
    const forged = signSale(sale, keyPair().privateKey);
    expectProblem(await till.post('/v1/orders', forged), 422, 'offline_signature_invalid');
    // The genuine sale still goes through.
    bodyOf(await till.post('/v1/orders', sale), 201);
  });

  test('a different sale under a number already used is refused and audited', async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 120);
    bodyOf(await till.post('/v1/orders', offlineSale(device, { ...oneLine(variantId, 120), seq: 1 })), 201);
    const other = offlineSale(device, { ...oneLine(variantId, 120, 3), seq: 1 });
    expectProblem(await till.post('/v1/orders', other), 409, 'offline_seq_reused');
    expect(await shop.audit({ action: 'order.offline_seq_reused', last: 1 })).toMatchAudit([
      { action: 'order.offline_seq_reused', data: expect.objectContaining({ device_id: device.id, seq: 1 }) },
    ]);
  });

  test('a missing number is surfaced on the attention list and in the metric until it arrives', async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 100);
    const one = offlineSale(device, oneLine(variantId, 100));
    const two = offlineSale(device, oneLine(variantId, 100, 2));
    const three = offlineSale(device, oneLine(variantId, 100, 3));
    bodyOf(await till.post('/v1/orders', one), 201);
    bodyOf(await till.post('/v1/orders', three), 201);
    const gaps = (await attention()).gaps.filter((g) => g.device_id === device.id);
    expect(gaps).toEqual([expect.objectContaining({ device_id: device.id, from_seq: 2, to_seq: 2 })]);
    const metric = (await shop.anon.get('/metrics')).body;
    expect(metric).toMatch(/pos_offline_sales_attention\{kind="gap"\} [1-9]/);
    bodyOf(await till.post('/v1/orders', two), 201);
    expect((await attention()).gaps.filter((g) => g.device_id === device.id)).toEqual([]);
  });

  test("another tenant's device or register is not found", async () => {
    const other = await shop.addTenant('Other Shop', ['owner', 'manager', 'till']);
    const theirs = await addDevice(other);
    const mine = await addDevice(shop);
    const { variantId } = await product(shop, 100);
    // Their device, on my register: no such device here.
    const withTheirDevice = offlineSale({ ...theirs, registerId: shop.registerId }, oneLine(variantId, 100));
    expectProblem(await till.post('/v1/orders', withTheirDevice), 404, 'device_not_found');
    // My device on their register: no such register here.
    const onTheirRegister = offlineSale({ ...mine, registerId: other.registerId }, oneLine(variantId, 100));
    expectProblem(await till.post('/v1/orders', onTheirRegister), 404, 'device_not_found');
    expectProblem(
      await manager.post(`/v1/registers/${other.registerId}/devices`, { public_key: keyPair().publicKey, label: 'x' }),
      404,
      'register_not_found',
    );
    // My device on another register of mine is refused too: a device signs for its own register only.
    const secondRegister = bodyOf<{ id: string }>(
      await owner.post('/v1/registers', { location_id: shop.locationId, name: `Till ${randomUUID().slice(0, 6)}` }),
      201,
    );
    const elsewhere = offlineSale({ ...mine, registerId: secondRegister.id }, oneLine(variantId, 100));
    expectProblem(await till.post('/v1/orders', elsewhere), 404, 'device_not_found');
  });

  test('hostile input: malformed offline blocks and price locks are 400s', async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 100);
    const sale = offlineSale(device, oneLine(variantId, 100));
    const bad = [
      { ...sale, offline: { ...sale.offline, seq: 0 } },
      { ...sale, offline: { ...sale.offline, seq: 2 ** 31 } },
      { ...sale, offline: { ...sale.offline, signature: 'A'.repeat(85) } },
      { ...sale, offline: { ...sale.offline, signature: `${'A'.repeat(85)}\u0000` } },
      { ...sale, offline: { ...sale.offline, created_at: 'yesterday' } },
      { ...sale, offline: { ...sale.offline, device_id: 'x' } },
      { ...sale, offline: { ...sale.offline, extra: 1 } },
      { ...sale, price_lock: { ...sale.price_lock, total_cents: -1 } },
      { ...sale, price_lock: { ...sale.price_lock, lines: [] } },
      { ...sale, replay_resolution: { kind: 'take_it_all' } },
      { ...sale, replay_resolution: { kind: 'keep_till_prices', approval: 'x\u0007' } },
    ];
    for (const body of bad) expectProblem(await till.post('/v1/orders', body), 400, 'validation_failed');
    // A price lock that is not this sale's (another variant, or a line too many), correctly signed: 400 too.
    const { variantId: otherVariant } = await product(shop, 100);
    const wrongVariant = signSale(
      { ...sale, price_lock: { ...sale.price_lock, lines: [{ variant_id: otherVariant, unit_price_cents: 100 }] } },
      device.privateKey,
    );
    expectProblem(await till.post('/v1/orders', wrongVariant), 400, 'validation_failed');
  });
});

describe('conflicts and their resolutions', () => {
  async function conflictOf(sale: { id: string }) {
    const res = await till.post('/v1/orders', sale);
    expectProblem(res, 409, 'replay_conflict');
    return res.json<{ diff: { version: number; changes: Record<string, unknown>[] } }>().diff;
  }

  test('price changed: the diff, the refusal on the attention list, then accept the server prices and settle', async () => {
    const device = await addDevice(shop);
    const { variantId, sku } = await product(shop, 400);
    const sale = offlineSale(device, oneLine(variantId, 400, 2));
    bodyOf(await owner.patch(`/v1/variants/${variantId}`, { price_cents: 450 }), 200);
    const diff = await conflictOf(sale);
    expect(diff).toEqual({
      version: 1,
      changes: [
        {
          kind: 'price_changed',
          position: 0,
          variant_id: variantId,
          sku,
          name: expect.any(String),
          till_unit_price_cents: 400,
          current_unit_price_cents: 450,
        },
        { kind: 'total_changed', till_total_cents: 800, current_total_cents: 900 },
      ],
    });
    // The same inputs give the same diff, byte for byte.
    expect(JSON.stringify(await conflictOf(sale))).toBe(JSON.stringify(diff));
    const refused = (await attention()).refused.find((r) => r.order_id === sale.id);
    expect(refused).toMatchObject({ device_id: device.id, seq: sale.offline.seq, code: 'replay_conflict', diff });
    expect(await shop.audit({ entityId: sale.id, action: 'order.replay_refused', last: 1 })).toMatchAudit([
      'order.replay_refused',
    ]);

    // Accepting the server's prices without paying the difference: the tenders do not cover it.
    const short = await till.post('/v1/orders', { ...sale, replay_resolution: { kind: 'accept_server_prices' } });
    expectProblem(short, 422, 'insufficient_tender');
    const paid = await till.post('/v1/orders', {
      ...sale,
      replay_resolution: { kind: 'accept_server_prices', tenders: [{ method: 'cash', amount_cents: 100 }] },
    });
    const order = bodyOf<{ total_cents: number; paid_cents: number; replay_resolution: Record<string, unknown> }>(
      paid,
      201,
    );
    expect(order).toMatchObject({ total_cents: 900, paid_cents: 900 });
    expect(order.replay_resolution).toMatchObject({
      kind: 'accept_server_prices',
      till_total_cents: 800,
      server_total_cents: 900,
      manager_id: null,
      diff,
    });
    expect((await attention()).refused.find((r) => r.order_id === sale.id)).toBeUndefined();
    expect(await shop.audit({ entityId: sale.id, action: 'order.replay_resolved' })).toMatchAudit([
      {
        action: 'order.replay_resolved',
        data: expect.objectContaining({ kind: 'accept_server_prices', seq: sale.offline.seq }),
      },
    ]);
  });

  test('a lower server total with cash: the change due is recorded', async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 500);
    const sale = offlineSale(device, oneLine(variantId, 500));
    bodyOf(await owner.patch(`/v1/variants/${variantId}`, { price_cents: 420 }), 200);
    await conflictOf(sale);
    const order = bodyOf<{ total_cents: number; change_cents: number }>(
      await till.post('/v1/orders', { ...sale, replay_resolution: { kind: 'accept_server_prices' } }),
      201,
    );
    expect(order).toMatchObject({ total_cents: 420, change_cents: 80 });
  });

  test("keep the till's prices: a manager's approval, the lines at the locked price, audited", async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 700);
    const sale = offlineSale(device, oneLine(variantId, 700, 3));
    bodyOf(await owner.patch(`/v1/variants/${variantId}`, { price_cents: 900 }), 200);
    await conflictOf(sale);
    expectProblem(
      await till.post('/v1/orders', { ...sale, replay_resolution: { kind: 'keep_till_prices' } }),
      403,
      'replay_approval_required',
    );
    const wrongKind = await approval(sale.id, 'sell_beyond_stock');
    expectProblem(
      await till.post('/v1/orders', {
        ...sale,
        replay_resolution: { kind: 'keep_till_prices', approval: wrongKind.approval },
      }),
      403,
      'invalid_approval',
    );
    const otherSale = await approval(randomUUID(), 'keep_till_prices');
    expectProblem(
      await till.post('/v1/orders', {
        ...sale,
        replay_resolution: { kind: 'keep_till_prices', approval: otherSale.approval },
      }),
      403,
      'invalid_approval',
    );
    const ok = await approval(sale.id, 'keep_till_prices');
    const order = bodyOf<{
      total_cents: number;
      items: { unit_price_cents: number }[];
      replay_resolution: Record<string, unknown>;
    }>(
      await till.post('/v1/orders', {
        ...sale,
        replay_resolution: { kind: 'keep_till_prices', approval: ok.approval },
      }),
      201,
    );
    expect(order.total_cents).toBe(2100);
    expect(order.items[0]?.unit_price_cents).toBe(700);
    expect(order.replay_resolution).toMatchObject({
      kind: 'keep_till_prices',
      manager_id: ok.manager_id,
      approval_id: ok.approval_id,
    });
    // Two approvals named this sale (one of the wrong kind); the one used is on the order.
    expect(await shop.audit({ entityId: sale.id, action: 'pos.replay_approved' })).toHaveLength(2);
  });

  test('stock short: sell beyond stock with a manager; stock goes negative', async () => {
    const device = await addDevice(shop);
    const { variantId, sku } = await product(shop, 1350, 5);
    const sale = offlineSale(device, oneLine(variantId, 1350, 8));
    const diff = await conflictOf(sale);
    expect(diff.changes).toEqual([
      expect.objectContaining({
        kind: 'stock_short',
        variant_id: variantId,
        location_id: shop.locationId,
        wanted: 8,
        available: 5,
      }),
    ]);
    // Accepting the server's prices does not settle a shortage.
    expect(await conflictOf({ ...sale, replay_resolution: { kind: 'accept_server_prices' } } as typeof sale)).toEqual(
      diff,
    );
    const ok = await approval(sale.id, 'sell_beyond_stock');
    bodyOf(
      await till.post('/v1/orders', {
        ...sale,
        replay_resolution: { kind: 'sell_beyond_stock', approval: ok.approval },
      }),
      201,
    );
    const levels = bodyOf<{ data: { variant_id: string; on_hand: number }[] }>(
      await owner.get(`/v1/inventory?location_id=${shop.locationId}&q=${sku}`),
      200,
    );
    expect(levels.data.find((l) => l.variant_id === variantId)?.on_hand).toBe(-3);
  });

  test("price changed and stock short: today's prices with a manager's stock approval", async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 300, 1);
    const sale = offlineSale(device, oneLine(variantId, 300, 2));
    bodyOf(await owner.patch(`/v1/variants/${variantId}`, { price_cents: 350 }), 200);
    const diff = await conflictOf(sale);
    expect(diff.changes.map((c) => c.kind)).toEqual(['price_changed', 'stock_short', 'total_changed']);
    const resolution = { kind: 'accept_server_prices', tenders: [{ method: 'cash', amount_cents: 100 }] };
    // Without the stock approval the shortage is not settled; with one of the wrong kind, it is refused.
    expect(await conflictOf({ ...sale, replay_resolution: resolution } as typeof sale)).toEqual(diff);
    const wrong = await approval(sale.id, 'keep_till_prices');
    expectProblem(
      await till.post('/v1/orders', { ...sale, replay_resolution: { ...resolution, stock_approval: wrong.approval } }),
      403,
      'invalid_approval',
    );
    const stockOk = await approval(sale.id, 'sell_beyond_stock');
    const order = bodyOf<{ total_cents: number; replay_resolution: Record<string, unknown> }>(
      await till.post('/v1/orders', {
        ...sale,
        replay_resolution: { ...resolution, stock_approval: stockOk.approval },
      }),
      201,
    );
    expect(order.total_cents).toBe(700);
    expect(order.replay_resolution).toMatchObject({
      kind: 'accept_server_prices',
      stock_approval_id: stockOk.approval_id,
      manager_id: stockOk.manager_id,
    });
  });

  test('replay approvals: hostile input is 400, a wrong PIN 401 and audited', async () => {
    const url = '/v1/pos/replay-approvals';
    const base = {
      register_id: shop.registerId,
      order_id: randomUUID(),
      kind: 'keep_till_prices',
      pin: shop.pins.manager,
    };
    for (const body of [
      { ...base, kind: 'discount' },
      { ...base, pin: '12' },
      { ...base, pin: '1234\u0000' },
      { ...base, order_id: 'x' },
      { ...base, extra: true },
    ]) {
      expectProblem(await till.post(url, body), 400, 'validation_failed');
    }
    expectProblem(await till.post(url, { ...base, pin: shop.pins.cashier }), 401, 'invalid_pin');
    expect(await shop.audit({ entityId: base.order_id, action: 'pos.replay_approval_refused' })).toHaveLength(1);
    expectProblem(await till.post(url, { ...base, register_id: randomUUID() }), 404, 'register_not_found');
    // A replay approval is no discount approval.
    const token = (await approval(randomUUID(), 'keep_till_prices')).approval;
    const sale = await till.post('/v1/orders/sku', {
      id: randomUUID(),
      register_id: shop.registerId,
      items: [{ sku: 'SKU-SODA', quantity: 1 }],
      discount_percent_bp: 2000,
      discount_approval: token,
      tenders: [{ method: 'cash', amount_cents: 10_000 }],
    });
    expectProblem(sale, 403, 'invalid_approval');
  });

  test('tax rate changed, and a discount over the limit, are in the diff', async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 1000);
    const sale = offlineSale(device, {
      items: [{ variant_id: variantId, quantity: 1 }],
      lock: { prices: [1000], taxRateBps: 900, totalCents: 800 },
      discountBp: 2000,
    });
    const diff = await conflictOf(sale);
    expect(diff.changes.map((c) => c.kind)).toEqual(['discount_over_limit', 'tax_rate_changed']);
    expect(diff.changes[0]).toEqual({ kind: 'discount_over_limit', discount_bp: 2000, limit_bp: 1000 });
    // Only keeping the till's prices (a manager) settles a discount over the limit.
    expect(await conflictOf({ ...sale, replay_resolution: { kind: 'accept_server_prices' } } as typeof sale)).toEqual(
      diff,
    );
    const ok = await approval(sale.id, 'keep_till_prices');
    const order = bodyOf<{ total_cents: number; tax_rate_bps: number }>(
      await till.post('/v1/orders', {
        ...sale,
        replay_resolution: { kind: 'keep_till_prices', approval: ok.approval },
      }),
      201,
    );
    expect(order).toMatchObject({ total_cents: 800, tax_rate_bps: 900 });
  });

  test('an archived product or register: only cancelling resolves it; the cancel is recorded and audited', async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 600);
    const sale = offlineSale(device, oneLine(variantId, 600));
    bodyOf(await owner.post(`/v1/variants/${variantId}/archive`), 200);
    const diff = await conflictOf(sale);
    expect(diff.changes).toEqual([
      expect.objectContaining({ kind: 'product_archived', position: 0, variant_id: variantId }),
    ]);
    expect(await conflictOf({ ...sale, replay_resolution: { kind: 'accept_server_prices' } } as typeof sale)).toEqual(
      diff,
    );

    const cancel = (body: unknown, id = sale.id) => till.post(`/v1/pos/offline-sales/${id}/cancel`, body);
    expectProblem(
      await cancel({ sale, reason: 'Gone', refunds: [{ method: 'cash', amount_cents: 601 }] }),
      422,
      'invalid_refund',
    );
    expectProblem(await cancel({ sale, reason: 'Gone\u0000', refunds: [] }), 400, 'validation_failed');
    expectProblem(await cancel({ sale, reason: 'Gone', refunds: [] }, randomUUID()), 400, 'validation_failed');
    const tampered = { ...sale, tenders: [{ method: 'cash', amount_cents: 9000 }] };
    expectProblem(
      await cancel({ sale: tampered, reason: 'Gone', refunds: [{ method: 'cash', amount_cents: 9000 }] }),
      422,
      'offline_signature_invalid',
    );
    const done = bodyOf<{ status: string; refunded_cents: number }>(
      await cancel({ sale, reason: 'Product withdrawn', refunds: [{ method: 'cash', amount_cents: 600 }] }),
      200,
    );
    expect(done).toMatchObject({ status: 'cancelled', refunded_cents: 600 });
    expect((await attention()).refused.find((r) => r.order_id === sale.id)).toBeUndefined();
    expect(await shop.audit({ entityId: sale.id, action: 'order.offline_sale_cancelled' })).toMatchAudit([
      {
        action: 'order.offline_sale_cancelled',
        data: expect.objectContaining({ reason: 'Product withdrawn', refunded_cents: 600 }),
      },
    ]);
    expectProblem(await till.post('/v1/orders', sale), 409, 'offline_sale_cancelled');
  });

  test('a register archived since the sale: register_closed', async () => {
    const register = bodyOf<{ id: string }>(
      await owner.post('/v1/registers', { location_id: shop.locationId, name: `Closing ${randomUUID().slice(0, 6)}` }),
      201,
    );
    const device = await addDevice(shop, register.id);
    const { variantId } = await product(shop, 200);
    const sale = offlineSale(device, oneLine(variantId, 200));
    bodyOf(await owner.post(`/v1/registers/${register.id}/archive`), 200);
    const diff = await conflictOf(sale);
    expect(diff.changes).toEqual([{ kind: 'register_closed', register_id: register.id }]);
  });

  test('cancelling an accepted sale is refused; a sale never received can be cancelled (its number is covered)', async () => {
    const device: TestDevice = await addDevice(shop);
    const { variantId } = await product(shop, 100);
    const accepted = offlineSale(device, oneLine(variantId, 100));
    bodyOf(await till.post('/v1/orders', accepted), 201);
    const res = await till.post(`/v1/pos/offline-sales/${accepted.id}/cancel`, {
      sale: accepted,
      reason: 'x',
      refunds: [],
    });
    expectProblem(res, 409, 'offline_sale_accepted');
    const lost = offlineSale(device, oneLine(variantId, 100));
    const later = offlineSale(device, oneLine(variantId, 100));
    bodyOf(await till.post('/v1/orders', later), 201);
    expect((await attention()).gaps.filter((g) => g.device_id === device.id)).toHaveLength(1);
    bodyOf(
      await till.post(`/v1/pos/offline-sales/${lost.id}/cancel`, { sale: lost, reason: 'Customer left', refunds: [] }),
      200,
    );
    expect((await attention()).gaps.filter((g) => g.device_id === device.id)).toEqual([]);
  });
});

describe('cards while offline', () => {
  test('an external-terminal card is accepted and marked for review; a processor card is refused', async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 2500);
    const sale = offlineSale(device, {
      ...oneLine(variantId, 2500),
      tenders: [{ method: 'external_card', amount_cents: 2500, reference: 'T-1' }],
    });
    const order = bodyOf<{ offline_card_review: boolean }>(await till.post('/v1/orders', sale), 201);
    expect(order.offline_card_review).toBe(true);
    expect((await attention()).review.find((r) => r.order_id === sale.id)).toMatchObject({ card_cents: 2500 });
    expect(await shop.audit({ entityId: sale.id, action: 'order.offline_card_taken' })).toMatchAudit([
      { action: 'order.offline_card_taken', data: expect.objectContaining({ within_policy: false }) },
    ]);
    const card = offlineSale(device, {
      ...oneLine(variantId, 2500),
      tenders: [{ method: 'card', amount_cents: 2500, card_token: 'tok_visa' } as never],
    });
    expectProblem(await till.post('/v1/orders', card), 422, 'offline_card_not_allowed');
  });

  test("the tenant's policy is in the till's context and is edited with the settings", async () => {
    const context = async () =>
      bodyOf<{ offline_card_policy: unknown }>(await till.get(`/v1/pos/context?register_id=${shop.registerId}`), 200);
    expect((await context()).offline_card_policy).toEqual({ mode: 'refuse', max_sale_cents: 0, max_outage_cents: 0 });
    bodyOf(
      await owner.patch('/v1/settings/tenant', {
        offline_card_mode: 'external_terminal',
        offline_card_max_sale_cents: 10_000,
        offline_card_max_outage_cents: 50_000,
      }),
      200,
    );
    expect((await context()).offline_card_policy).toEqual({
      mode: 'external_terminal',
      max_sale_cents: 10_000,
      max_outage_cents: 50_000,
    });
    expectProblem(await owner.patch('/v1/settings/tenant', { offline_card_mode: 'always' }), 400, 'validation_failed');
    expectProblem(
      await owner.patch('/v1/settings/tenant', { offline_card_max_sale_cents: -1 }),
      400,
      'validation_failed',
    );
  });
});

describe('a manager closes what cannot be resolved at a till', () => {
  test('numbers lost with the till are written off: the gap closes; a sale that turns up after all is accepted', async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 100);
    const sales = [1, 2, 3, 4].map(() => offlineSale(device, oneLine(variantId, 100)));
    bodyOf(await till.post('/v1/orders', sales[0]), 201);
    bodyOf(await till.post('/v1/orders', sales[3]), 201);
    expect((await attention()).gaps.filter((g) => g.device_id === device.id)).toEqual([
      expect.objectContaining({ from_seq: 2, to_seq: 3 }),
    ]);
    const url = '/v1/pos/attention/gaps/write-off';
    const body = { device_id: device.id, from_seq: 2, to_seq: 3, reason: 'Till reset before it synced' };
    expectProblem(await till.post(url, body), 403, 'forbidden');
    expectProblem(await manager.post(url, { ...body, to_seq: 4 }), 400, 'validation_failed');
    expectProblem(await manager.post(url, { ...body, to_seq: 1 }), 400, 'validation_failed');
    expectProblem(await manager.post(url, { ...body, reason: 'x\u0000' }), 400, 'validation_failed');
    expectProblem(await manager.post(url, { ...body, reason: '' }), 400, 'validation_failed');
    expectProblem(await manager.post(url, { ...body, from_seq: 0 }), 400, 'validation_failed');
    expectProblem(await manager.post(url, { ...body, device_id: randomUUID() }), 404, 'device_not_found');
    expect(bodyOf(await manager.post(url, body), 200)).toEqual({ ...body, reason: undefined, written_off: 2 });
    expect((await attention()).gaps.filter((g) => g.device_id === device.id)).toEqual([]);
    expect(await shop.audit({ action: 'order.offline_gap_written_off', last: 1 })).toMatchAudit([
      { action: 'order.offline_gap_written_off', data: { ...body, count: 2 } },
    ]);
    // Sale 2 was not lost after all: it is accepted, once.
    bodyOf(await till.post('/v1/orders', sales[1]), 201);
    bodyOf(await till.post('/v1/orders', sales[1]), 200);
  });

  test("another tenant's device cannot be written off", async () => {
    const other = await shop.addTenant('Third Shop', ['owner', 'manager', 'till']);
    const theirs = await addDevice(other);
    const { variantId } = await product(other, 100);
    bodyOf(await other.as('till').post('/v1/orders', offlineSale(theirs, { ...oneLine(variantId, 100), seq: 3 })), 201);
    const body = { device_id: theirs.id, from_seq: 1, to_seq: 2, reason: 'x' };
    expectProblem(await manager.post('/v1/pos/attention/gaps/write-off', body), 404, 'device_not_found');
  });

  test('an offline card sale checked against the terminal leaves the review list (audited)', async () => {
    const device = await addDevice(shop);
    const { variantId } = await product(shop, 900);
    const sale = offlineSale(device, {
      ...oneLine(variantId, 900),
      tenders: [{ method: 'external_card', amount_cents: 900, reference: 'T-9' }],
    });
    bodyOf(await till.post('/v1/orders', sale), 201);
    const url = `/v1/pos/attention/review/${sale.id}/checked`;
    expectProblem(await till.post(url), 403, 'forbidden');
    bodyOf(await manager.post(url), 200);
    expect((await attention()).review.find((r) => r.order_id === sale.id)).toBeUndefined();
    expectProblem(await manager.post(url), 404, 'order_not_found');
    expectProblem(await manager.post(`/v1/pos/attention/review/${randomUUID()}/checked`), 404, 'order_not_found');
    expect(await shop.audit({ entityId: sale.id, action: 'order.offline_card_reviewed' })).toHaveLength(1);
    // The order still says it was an offline card sale.
    expect(
      bodyOf<{ offline_card_review: boolean }>(await till.get(`/v1/orders/${sale.id}`), 200).offline_card_review,
    ).toBe(true);
  });
});

describe('GET /v1/pos/attention', () => {
  test('managers and above; a cashier may not', async () => {
    expectProblem(await till.get('/v1/pos/attention'), 403, 'forbidden');
    bodyOf(await owner.get('/v1/pos/attention'), 200);
  });
});

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { bodyOf, expectProblem, PASSWORD, type Client } from '../../../test/harness.ts';
import { addSeedTenant, useSeedShop } from '../orders/orders.fixtures.ts';

// Selling beyond stock with a manager's approval (issue 13, defect 5; docs/pos.md "Not enough stock").
const { shop } = useSeedShop({ env: { DEFAULT_TAX_RATE_BPS: '800' } });
const till = shop.as('till');
const owner = shop.as('owner');

/** A product of the shop that was never stocked (the tenant's policy blocks sales beyond stock). */
async function unstocked(name: string): Promise<{ sku: string; variantId: string }> {
  const sku = `SKU-${randomUUID().slice(0, 8)}`;
  const res = await owner.post('/v1/products', { name, variants: [{ sku, price_cents: 3000 }] });
  return { sku, variantId: bodyOf<{ variants: { id: string }[] }>(res, 201).variants[0]?.id ?? '' };
}

function sale(id: string, sku: string, quantity: number, approval?: string, registerId = shop.registerId) {
  return {
    id,
    register_id: registerId,
    items: [
      { sku, quantity },
      { sku: 'SKU-SODA', quantity: 1 },
    ],
    ...(approval === undefined ? {} : { stock_approval: approval }),
    tenders: [{ method: 'cash', amount_cents: 20_000 }],
  };
}

async function approve(orderId: string, pin = shop.pins.manager, as: Client = till, registerId = shop.registerId) {
  return as.post('/v1/pos/stock-approvals', { register_id: registerId, order_id: orderId, pin });
}

async function onHand(variantId: string): Promise<number> {
  const { rows } = await shop.db.query<{ on_hand: number }>(
    'SELECT on_hand FROM stock_levels WHERE variant_id = $1 AND location_id = $2',
    [variantId, shop.locationId],
  );
  return rows[0]?.on_hand ?? 0;
}

describe('not enough stock', () => {
  test('the refusal names each short line: name, SKU, units wanted and available, location; nothing is written', async () => {
    const shirt = await unstocked('Linen shirt');
    const id = randomUUID();
    const res = await till.post('/v1/orders/sku', sale(id, shirt.sku, 3), { idempotencyKey: id });
    expectProblem(res, 409, 'insufficient_stock');
    expect(res.json()).toMatchObject({
      detail: 'Not enough stock: Linen shirt — 3 wanted, 0 in stock',
      location_id: shop.locationId,
      lines: [
        {
          variant_id: shirt.variantId,
          sku: shirt.sku,
          name: 'Linen shirt',
          location_id: shop.locationId,
          requested: 3,
          available: 0,
        },
      ],
    });
    expect((await owner.get(`/v1/orders/${id}`)).statusCode).toBe(404);
    expect(await onHand(shirt.variantId)).toBe(0);
    // The refusal holds no Idempotency-Key: once stock has arrived, the same sale sent again goes through.
    const stocked = await owner.post('/v1/inventory/adjustments', {
      location_id: shop.locationId,
      lines: [{ sku: shirt.sku, delta: 3, reason: 'receipt' }],
    });
    expect(stocked.statusCode, stocked.body).toBe(201);
    const again = await till.post('/v1/orders/sku', sale(id, shirt.sku, 3), { idempotencyKey: id });
    expect(again.statusCode, again.body).toBe(201);
    expect(await onHand(shirt.variantId)).toBe(0);
  });

  test('a manager PIN approves selling beyond stock: the same sale under the same key completes, audited', async () => {
    const shirt = await unstocked('Linen shirt');
    const id = randomUUID();
    // The till's first send is refused; the refusal does not hold the sale's Idempotency-Key.
    expectProblem(
      await till.post('/v1/orders/sku', sale(id, shirt.sku, 3), { idempotencyKey: id }),
      409,
      'insufficient_stock',
    );
    const approved = await approve(id);
    expect(approved.statusCode, approved.body).toBe(201);
    const approval = approved.json();
    expect(approval).toMatchObject({ manager_id: shop.userIds.manager, manager_name: 'Max Manager' });
    expect(await shop.audit({ action: 'pos.oversell_approved', entityId: id })).toMatchAudit([
      {
        action: 'pos.oversell_approved',
        data: expect.objectContaining({
          approval_id: approval.approval_id,
          manager_id: shop.userIds.manager,
          cashier_id: shop.userIds.cashier,
        }),
      },
    ]);

    const created = await till.post('/v1/orders/sku', sale(id, shirt.sku, 3, approval.approval), {
      idempotencyKey: id,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ id, status: 'completed' });
    expect(await onHand(shirt.variantId)).toBe(-3);
    expect(await shop.audit({ action: 'order.oversold', entityId: id })).toMatchAudit([
      {
        action: 'order.oversold',
        data: expect.objectContaining({
          manager_id: shop.userIds.manager,
          approval_id: approval.approval_id,
          cashier_id: shop.userIds.cashier,
          location_id: shop.locationId,
          policy: 'block',
          // Only the line sold short: the soda was in stock.
          lines: [expect.objectContaining({ sku: shirt.sku, name: 'Linen shirt', requested: 3, available: 0 })],
        }),
      },
    ]);
    // The queue's replay of the approved sale is the same order, not a second sale.
    const replay = await till.post('/v1/orders/sku', sale(id, shirt.sku, 3, approval.approval), {
      idempotencyKey: id,
    });
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(id);
    expect(await onHand(shirt.variantId)).toBe(-3);
  });

  test('a parked sale paid later: the payment takes the approval too', async () => {
    const shirt = await unstocked('Linen shirt');
    const id = randomUUID();
    const { tenders: _none, ...parked } = sale(id, shirt.sku, 2);
    const open = await till.post('/v1/orders/sku', parked);
    expect(open.statusCode, open.body).toBe(201);
    expect(open.json().status).toBe('open');
    const pay = (approval?: string) =>
      till.post(`/v1/orders/${id}/tenders`, {
        tenders: [{ method: 'cash', amount_cents: 20_000 }],
        ...(approval === undefined ? {} : { stock_approval: approval }),
      });
    expectProblem(await pay(), 409, 'insufficient_stock');
    const other = randomUUID();
    expectProblem(await pay((await approve(other)).json().approval), 403, 'invalid_approval');
    const { approval } = (await approve(id)).json();
    const paid = await pay(approval);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().status).toBe('completed');
    expect(await onHand(shirt.variantId)).toBe(-2);
    expect(await shop.audit({ action: 'order.oversold', entityId: id })).toMatchAudit([
      {
        action: 'order.oversold',
        data: expect.objectContaining({
          manager_id: shop.userIds.manager,
          lines: [expect.objectContaining({ name: 'Linen shirt', requested: 2, available: 0 })],
        }),
      },
    ]);
  });

  test('an approval of a sale that turns out to be in stock oversells nothing and audits no oversale', async () => {
    const id = randomUUID();
    const { approval } = (await approve(id)).json();
    const res = await till.post('/v1/orders/sku', sale(id, 'SKU-WATER', 1, approval));
    expect(res.statusCode, res.body).toBe(201);
    expect(await shop.audit({ action: 'order.oversold', entityId: id })).toEqual([]);
  });

  test('a cashier without an approval is still refused, and so is a manager', async () => {
    const shirt = await unstocked('Linen shirt');
    expectProblem(await till.post('/v1/orders/sku', sale(randomUUID(), shirt.sku, 1)), 409, 'insufficient_stock');
    const manager = shop.as('manager');
    expectProblem(await manager.post('/v1/orders/sku', sale(randomUUID(), shirt.sku, 1)), 409, 'insufficient_stock');
  });

  test("a cashier's own PIN or a wrong PIN approves nothing, and the refusal is audited", async () => {
    const id = randomUUID();
    expectProblem(await approve(id, shop.pins.cashier), 401, 'invalid_pin');
    expectProblem(await approve(id, '99999999'), 401, 'invalid_pin');
    expect(await shop.audit({ action: 'pos.oversell_approval_refused', entityId: id })).toMatchAudit([
      'pos.oversell_approval_refused',
      'pos.oversell_approval_refused',
    ]);
  });

  test('bad approval requests are 400 and 404', async () => {
    expectProblem(
      await till.post('/v1/pos/stock-approvals', { register_id: shop.registerId, order_id: 'x', pin: '1234' }),
      400,
      'validation_failed',
    );
    expectProblem(
      await till.post('/v1/pos/stock-approvals', {
        register_id: shop.registerId,
        order_id: randomUUID(),
        pin: '12\u000034',
      }),
      400,
      'validation_failed',
    );
    expectProblem(
      await till.post('/v1/pos/stock-approvals', {
        register_id: shop.registerId,
        order_id: randomUUID(),
        pin: shop.pins.manager,
        lines: [],
      }),
      400,
      'validation_failed',
    );
    expectProblem(await approve(randomUUID(), shop.pins.manager, till, randomUUID()), 404, 'register_not_found');
  });
});

describe('an approval to sell beyond stock is for its own sale, register, tenant and kind only', () => {
  test("another sale's approval, a tampered, forged or expired one, an access token: 403 invalid_approval", async () => {
    const shirt = await unstocked('Linen shirt');
    const id = randomUUID();
    const { approval } = (await approve(id)).json();
    const refused = async (body: Record<string, unknown>) => {
      expectProblem(await till.post('/v1/orders/sku', body), 403, 'invalid_approval');
    };
    await refused(sale(randomUUID(), shirt.sku, 1, approval));
    await refused(sale(id, shirt.sku, 1, `${approval}x`));
    await refused(sale(id, shirt.sku, 1, await shop.token('manager')));

    const claims = { kind: 'oversell', tid: shop.tenantId, reg: shop.registerId, oid: id };
    const { privateKey: stranger } = generateKeyPairSync('ed25519');
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
      .setIssuer(shop.config.jwt.issuer)
      .setAudience('novapos-discount-approval')
      .setSubject(shop.userIds.manager)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(stranger);
    await refused(sale(id, shirt.sku, 1, forged));
    const expired = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
      .setIssuer(shop.config.jwt.issuer)
      .setAudience('novapos-discount-approval')
      .setSubject(shop.userIds.manager)
      .setJti(randomUUID())
      .setIssuedAt(Math.floor(Date.now() / 1000) - 2 * 24 * 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 24 * 3600)
      .sign(shop.deps.secrets.jwtPrivateKey);
    await refused(sale(id, shirt.sku, 1, expired));
    // Nothing was sold under the id: the real approval still works for it.
    const res = await till.post('/v1/orders/sku', sale(id, shirt.sku, 1, approval));
    expect(res.statusCode, res.body).toBe(201);
  });

  test("another tenant's approval for the same sale id is refused", async () => {
    const other = await addSeedTenant(shop, 'Other Shop');
    const shirt = await unstocked('Linen shirt');
    const id = randomUUID();
    const theirs = await approve(id, other.pins.manager, other.as('till'), other.registerId);
    expect(theirs.statusCode, theirs.body).toBe(201);
    expectProblem(
      await till.post('/v1/orders/sku', sale(id, shirt.sku, 1, theirs.json().approval)),
      403,
      'invalid_approval',
    );
  });

  test('a discount approval is not an approval to sell beyond stock, nor the other way round', async () => {
    const shirt = await unstocked('Linen shirt');
    const id = randomUUID();
    const discount = await till.post('/v1/pos/discount-approvals', {
      register_id: shop.registerId,
      order_id: id,
      discount_bp: 2500,
      pin: shop.pins.manager,
    });
    expect(discount.statusCode, discount.body).toBe(201);
    expectProblem(
      await till.post('/v1/orders/sku', sale(id, shirt.sku, 1, discount.json().approval)),
      403,
      'invalid_approval',
    );
    const { approval: oversell } = (await approve(id)).json();
    expectProblem(
      await till.post('/v1/orders/sku', {
        ...sale(id, 'SKU-WATER', 1),
        discount_percent_bp: 2500,
        discount_approval: oversell,
      }),
      403,
      'invalid_approval',
    );
    expect((await owner.get(`/v1/orders/${id}`)).statusCode).toBe(404);
  });
});

describe('who may ask for an approval', () => {
  test("a cashier kept to another location gets none at this shop's register, and nothing is audited", async () => {
    const second = bodyOf<{ id: string }>(await owner.post('/v1/locations', { name: `Annex ${randomUUID()}` }), 201);
    const email = `annex.${randomUUID()}@example.com`;
    const created = await owner.post('/v1/users', {
      email,
      display_name: 'Annex Cashier',
      password: PASSWORD,
      roles: ['cashier'],
      location_ids: [second.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    const annex = shop.withToken((await shop.login(email)).access_token);
    const orderId = randomUUID();
    for (const path of ['/v1/pos/stock-approvals', '/v1/pos/discount-approvals']) {
      const res = await annex.post(path, {
        register_id: shop.registerId,
        order_id: orderId,
        pin: shop.pins.manager,
        ...(path.includes('discount') ? { discount_bp: 5000 } : {}),
      });
      expectProblem(res, 404, 'register_not_found');
    }
    expect(await shop.audit({ entityId: orderId })).toEqual([]);
  });
});

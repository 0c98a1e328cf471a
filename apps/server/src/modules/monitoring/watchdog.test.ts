import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalog, SEED_ITEMS } from '../../../test/fixtures.ts';
import { expectProblem, useShop, type Client } from '../../../test/harness.ts';
import { startSimulatorProcess, type RunningSimulator } from '../../../test/processes.ts';
import { eventually } from '../../../test/timing.ts';
import { newId } from '../../platform/ids.ts';
import { freePort } from '../payments/payments.fixtures.ts';
import { paymentsDepsFor, runAutoVoid } from '../payments/index.ts';
import { registerStuckOrderGauges, runWatchdog } from './index.ts';

/**
 * The stuck-order watchdog (issue 13 §2, seed 003 P5-02) on real rows: a split sale whose card was declined (open,
 * cash taken), a sale's card authorized whose order was never saved, a sale whose request died with its server.
 * What is safe is resolved by payments.auto_void (the orphaned authorization, voided and audited); the rest is
 * reported by the watchdog and counted by `orders_stuck{kind}` on /metrics.
 */
let sim: RunningSimulator;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'novapos-sim-'));
  sim = await startSimulatorProcess({ port: await freePort(), stateFile: path.join(dir, 'state.json') });
});
afterAll(async () => {
  await sim.kill();
});

const STUCK_MINUTES = 30;
const shop = useShop({
  env: () => ({ GATEWAY_URL: sim.url, GATEWAY_TIMEOUT_MS: '2000', PAYMENT_ORPHAN_AUTH_MINUTES: '10' }),
  roles: ['owner', 'cashier'],
});
const till = shop.as('till');
const cashier: Client = shop.as('cashier');

beforeAll(async () => {
  await seedCatalog(shop);
  registerStuckOrderGauges(shop.deps.metrics.registry, shop.db, STUCK_MINUTES);
});

function deps() {
  return paymentsDepsFor({ db: shop.deps.db, config: shop.config, registry: shop.deps.metrics.registry, logger });
}

/** The seed cart's total, as the server prices it. */
async function total(): Promise<number> {
  const quote = await till.post('/v1/orders/compute', { register_id: shop.registerId, items: SEED_ITEMS });
  return quote.json<{ total_cents: number }>().total_cents;
}

/** Moves a row's clock back, as if it had been left `minutes` ago. */
async function age(table: 'orders' | 'payment_intents', column: string, id: string, minutes: number) {
  await shop.db.query(`UPDATE ${table} SET ${column} = now() - make_interval(mins => $2) WHERE id = $1`, [id, minutes]);
}

async function stuckGauge(): Promise<Record<string, number>> {
  const text = (await shop.anon.get('/metrics')).body;
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^orders_stuck\{kind="([a-z_]+)"\} (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

/** A card authorized at the processor for a sale (its key names the order) whose order was never saved. */
async function orphanedAuthorization(amount: number): Promise<string> {
  const created = await cashier.post('/v1/payment_intents', {
    amount_cents: amount,
    currency: 'USD',
    capture_method: 'manual',
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json<{ id: string }>().id;
  const confirmed = await cashier.post(`/v1/payment_intents/${id}/confirm`, { card_token: 'tok_visa' });
  expect(confirmed.json<{ state: string }>().state).toBe('authorized');
  // The key the sale's card gets (orders.cards.ts: order:<order id>:tender:<position>:<digest>).
  await shop.db.query('UPDATE payment_intents SET idempotency_key = $2 WHERE id = $1', [
    id,
    `order:${newId()}:tender:0:${'a'.repeat(24)}`,
  ]);
  return id;
}

describe('the stuck-order watchdog', () => {
  it('reports an open sale with cash taken after a declined card, once it is older than the threshold', async () => {
    const before = await stuckGauge();
    expect(before).toMatchObject({ open_with_tenders: 0, authorization_without_order: 0, sale_interrupted: 0 });

    const res = await till.post('/v1/orders/sku', {
      register_id: shop.registerId,
      items: SEED_ITEMS,
      tenders: [
        { method: 'cash', amount_cents: 200 },
        { method: 'card', amount_cents: (await total()) - 200, card_token: 'tok_declined' },
      ],
    });
    expectProblem(res, 402, 'payment_declined');
    const orderId = res.json<{ order_id: string }>().order_id;
    // Fresh: a cashier is still at it.
    expect((await runWatchdog(shop.db, STUCK_MINUTES, logger)).open_with_tenders).toEqual([]);

    await age('orders', 'created_at', orderId, STUCK_MINUTES + 1);
    const found = await runWatchdog(shop.db, STUCK_MINUTES, logger);
    expect(found.open_with_tenders).toEqual([
      expect.objectContaining({ kind: 'open_with_tenders', tenant_id: shop.tenantId, ref: orderId }),
    ]);
    await eventually(async () => expect(await stuckGauge()).toMatchObject({ open_with_tenders: 1 }));

    // Finished by a person (the rest paid): no longer stuck.
    const { rows } = await shop.db.query<{ due: number }>(
      'SELECT (total_cents - paid_cents)::int AS due FROM orders WHERE id = $1',
      [orderId],
    );
    const paid = await till.post(`/v1/orders/${orderId}/tenders`, {
      tenders: [{ method: 'cash', amount_cents: rows[0]!.due }],
    });
    expect(paid.statusCode, paid.body).toBe(200);
    expect((await runWatchdog(shop.db, STUCK_MINUTES, logger)).open_with_tenders).toEqual([]);
    await eventually(async () => expect(await stuckGauge()).toMatchObject({ open_with_tenders: 0 }));
  });

  it('an authorization whose order was never saved is voided by payments.auto_void, audited; reported if not', async () => {
    const orphan = await orphanedAuthorization(777);
    // Younger than PAYMENT_ORPHAN_AUTH_MINUTES: a retry of the sale may still need it.
    expect(await runAutoVoid(deps(), logger)).toMatchObject({ voided: 0 });

    // Past the watchdog's threshold (the void failed, e.g. the processor was down): reported.
    await age('payment_intents', 'authorized_at', orphan, STUCK_MINUTES + 1);
    expect((await runWatchdog(shop.db, STUCK_MINUTES, logger)).authorization_without_order).toEqual([
      expect.objectContaining({ ref: orphan, tenant_id: shop.tenantId }),
    ]);
    await eventually(async () => expect(await stuckGauge()).toMatchObject({ authorization_without_order: 1 }));

    // The sweep voids it (earlier than PAYMENT_AUTH_TTL_MINUTES, 60), with its own reason, audited.
    expect(await runAutoVoid(deps(), logger)).toMatchObject({ voided: 1, failed: 0 });
    const { rows } = await shop.db.query<{ state: string }>('SELECT state FROM payment_intents WHERE id = $1', [
      orphan,
    ]);
    expect(rows[0]?.state).toBe('voided');
    expect(await shop.audit({ action: 'payment.voided', entityId: orphan })).toEqual([
      expect.objectContaining({ actor_type: 'system', data: expect.objectContaining({ reason: 'orphaned' }) }),
    ]);
    expect((await runWatchdog(shop.db, STUCK_MINUTES, logger)).authorization_without_order).toEqual([]);
    await eventually(async () => expect(await stuckGauge()).toMatchObject({ authorization_without_order: 0 }));
  });

  it('an authorization of a sale that was saved is not orphaned: it waits for PAYMENT_AUTH_TTL_MINUTES', async () => {
    const res = await till.post('/v1/orders/sku', {
      register_id: shop.registerId,
      items: SEED_ITEMS,
      tenders: [
        { method: 'cash', amount_cents: 100 },
        { method: 'card', amount_cents: (await total()) - 100, card_token: 'tok_declined' },
      ],
    });
    expectProblem(res, 402, 'payment_declined');
    const orderId = res.json<{ order_id: string }>().order_id;
    // A card authorized for that saved (open) order, older than the orphan rule, younger than the TTL (60 min).
    const intent = await orphanedAuthorization(555);
    await shop.db.query('UPDATE payment_intents SET order_id = $2 WHERE id = $1', [intent, orderId]);
    await age('payment_intents', 'authorized_at', intent, STUCK_MINUTES + 1);
    expect(await runAutoVoid(deps(), logger)).toMatchObject({ voided: 0, failed: 0 });
    const found = await runWatchdog(shop.db, STUCK_MINUTES, logger);
    expect(found.authorization_without_order).toEqual([]);
    expect(found.authorization_not_captured).toEqual([]);
  });

  it('reports a sale whose request died with its server and that no retry took over', async () => {
    const key = newId();
    await shop.db.query(
      `INSERT INTO idempotency_keys (tenant_id, key, method, path, fingerprint, status, expires_at, lease_until)
       VALUES ($1, $2, 'POST', '/v1/orders', 'f', 'in_progress', now() + interval '20 hours',
               now() - make_interval(mins => $3))`,
      [shop.tenantId, key, STUCK_MINUTES + 1],
    );
    // Another route's dead request is not a sale.
    await shop.db.query(
      `INSERT INTO idempotency_keys (tenant_id, key, method, path, fingerprint, status, expires_at, lease_until)
       VALUES ($1, $2, 'POST', '/v1/locations', 'f', 'in_progress', now() + interval '20 hours',
               now() - interval '2 hours')`,
      [shop.tenantId, newId()],
    );
    const found = await runWatchdog(shop.db, STUCK_MINUTES, logger);
    expect(found.sale_interrupted).toEqual([expect.objectContaining({ ref: key, tenant_id: shop.tenantId })]);
    await eventually(async () => expect(await stuckGauge()).toMatchObject({ sale_interrupted: 1 }));
  });
});

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, useShop, type Client, type Tenant } from '../../../../test/harness.ts';
import { until } from '../../../../test/timing.ts';
import { newId } from '../../../platform/ids.ts';
import { Registry } from 'prom-client';
import { installJobSchema, JobQueue } from '../../../platform/jobs/index.ts';
import { freePort, simAuthorizations, startSimulatorProcess, type RunningSimulator } from '../payments.fixtures.ts';
import type { PaymentsDeps } from '../payments.service.ts';
import { paymentJobs, paymentsDepsFor, runAutoVoid } from './index.ts';

const logger = pino({ level: 'silent' });
let sim: RunningSimulator;
let other: Tenant;
let deps: PaymentsDeps;
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'novapos-sim-'));
  sim = await startSimulatorProcess({ port: await freePort(), stateFile: path.join(dir, 'state.json') });
});
afterAll(async () => {
  await sim.kill();
});

// Opened once the simulator listens (its URL is read then), closed before it is killed.
const shop = useShop({
  env: () => ({ GATEWAY_URL: sim.url, GATEWAY_TIMEOUT_MS: '2000', PAYMENT_AUTH_TTL_MINUTES: '30' }),
  roles: ['cashier', 'manager'],
});
const cashier = shop.as('cashier');
const manager = shop.as('manager');
const operator = shop.as('superadmin');

beforeAll(async () => {
  other = await shop.addTenant('Other Shop', []);
  await shop.operatorToken();
  deps = paymentsDepsFor({ db: shop.deps.db, config: shop.config, registry: shop.deps.metrics.registry, logger });
});

async function paidIntent(amount: number, captureMethod: 'automatic' | 'manual', token: Client = cashier) {
  const created = await token.post('/v1/payment_intents', {
    amount_cents: amount,
    currency: 'USD',
    capture_method: captureMethod,
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json<{ id: string }>().id;
  const confirmed = await token.post(`/v1/payment_intents/${id}/confirm`, { card_token: 'tok_visa' });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return confirmed.json<{ id: string; provider_ref: string; state: string }>();
}

async function state(id: string): Promise<string> {
  const { rows } = await shop.db.query<{ state: string }>('SELECT state FROM payment_intents WHERE id = $1', [id]);
  return rows[0]?.state ?? 'missing';
}

async function ageAuthorization(id: string, minutes: number): Promise<void> {
  await shop.db.query(`UPDATE payment_intents SET authorized_at = now() - make_interval(mins => $2) WHERE id = $1`, [
    id,
    minutes,
  ]);
}

async function voidAudits(id: string) {
  return shop.audit({ action: 'payment.voided', entityId: id });
}

function reconciliation(as: Client, query = '') {
  return as.get(`/v1/payments/reconciliation${query}`);
}

function runReconciliation(payload: Record<string, unknown>) {
  return operator.post('/v1/payments/reconciliation/run', payload);
}

describe('payments.auto_void', () => {
  it('voids an authorization older than PAYMENT_AUTH_TTL_MINUTES and leaves a fresh one', async () => {
    const stale = await paidIntent(1500, 'manual');
    const fresh = await paidIntent(1600, 'manual');
    await ageAuthorization(stale.id, 31);

    const counts = await runAutoVoid(deps, logger);
    expect(counts).toEqual({ voided: 1, captured: 0, skipped: 0, failed: 0 });
    expect(await state(stale.id)).toBe('voided');
    expect(await state(fresh.id)).toBe('authorized');
    // Through the ordinary void: the processor released it, and it is audited as the system's act.
    const atProcessor = await simAuthorizations(sim.url);
    expect(atProcessor.find((a) => a.provider_ref === stale.provider_ref)?.status).toBe('voided');
    expect(atProcessor.find((a) => a.provider_ref === fresh.provider_ref)?.status).toBe('authorized');
    expect(await voidAudits(stale.id)).toEqual([
      expect.objectContaining({ actor_type: 'system', data: expect.objectContaining({ reason: 'auto_void' }) }),
    ]);
    // A captured intent is never touched, however old.
    const captured = await paidIntent(900, 'automatic');
    await ageAuthorization(captured.id, 600);
    expect(await runAutoVoid(deps, logger)).toEqual({ voided: 0, captured: 0, skipped: 0, failed: 0 });
    expect(await state(captured.id)).toBe('captured');
  });

  it('captures, not voids, the authorization of a completed order whose capture failed', async () => {
    const paid = await paidIntent(1200, 'manual');
    const open = await paidIntent(1300, 'manual');
    const orderIds = [newId(), newId()];
    for (const [i, status] of ['completed', 'open'].entries()) {
      // An order row as the sale writes it; only its status matters to the sweeper.
      await shop.db.query(
        `INSERT INTO orders (id, tenant_id, location_id, register_id, status, currency, prices_include_tax, rounding,
           tax_rate_bps, tax_rate_source, subtotal_cents, discount_cents, tax_cents, total_cents, number, completed_at)
         VALUES ($1, $2, $3, $4, $5::text, 'USD', false, 'half_up', 0, 'default', 1200, 0, 0, 1200,
           CASE WHEN $5::text = 'completed' THEN 900001 END, CASE WHEN $5::text = 'completed' THEN now() END)`,
        [orderIds[i], shop.tenantId, shop.locationId, shop.registerId, status],
      );
    }
    await shop.db.query('UPDATE payment_intents SET order_id = $2 WHERE id = $1', [paid.id, orderIds[0]]);
    await shop.db.query('UPDATE payment_intents SET order_id = $2 WHERE id = $1', [open.id, orderIds[1]]);
    // Three minutes: past the completed order's grace, far from the 30-minute TTL of the open one.
    await ageAuthorization(paid.id, 3);
    await ageAuthorization(open.id, 3);
    expect(await runAutoVoid(deps, logger)).toEqual({ voided: 0, captured: 1, skipped: 0, failed: 0 });
    expect(await state(paid.id)).toBe('captured');
    expect(await state(open.id)).toBe('authorized');
    // Voided (not captured) once the open order's authorization outlives the TTL.
    await ageAuthorization(open.id, 31);
    expect(await runAutoVoid(deps, logger)).toEqual({ voided: 1, captured: 0, skipped: 0, failed: 0 });
    expect(await state(open.id)).toBe('voided');
  });

  it('runs once when two processes run the schedule in the same minute', async () => {
    const stale = await paidIntent(1700, 'manual');
    await ageAuthorization(stale.id, 45);
    const schedules = paymentJobs(deps, logger).filter((j) => j.name === 'payments.auto_void');
    // The queue's cron last ran this schedule two minutes ago: one slot (this minute's, or the last one's) is due
    // at once, and both processes see it.
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    await installJobSchema(shop.deps.db, logger);
    await shop.db.query(
      `INSERT INTO graphile_worker._private_known_crontabs (identifier, known_since, last_execution)
       VALUES ('payments.auto_void', now() - interval '1 hour', $1)`,
      [new Date(minute - 60_000)],
    );
    const ran: string[] = [];
    const once = schedules.map((s) => ({
      ...s,
      run: async (r: { scheduledFor: Date }) => {
        ran.push(r.scheduledFor.toISOString());
        await s.run(r);
      },
    }));
    const queues = ['server-a', 'worker-b'].map(
      () =>
        new JobQueue({
          db: shop.deps.db,
          logger,
          registry: new Registry(),
          work: [{ schedules: once }],
          backfillMs: 60_000,
        }),
    );
    await Promise.all(queues.map((q) => q.start()));
    try {
      await until('a queue to run the due slot', () => Promise.resolve(ran.length >= 1));
      expect(ran.length).toBeGreaterThanOrEqual(1);
    } finally {
      await Promise.all(queues.map((q) => q.stop()));
    }
    expect(new Set(ran).size).toBe(ran.length);
    expect(ran[0]).toBe(new Date(minute).toISOString());
    expect(await state(stale.id)).toBe('voided');
    expect(await voidAudits(stale.id)).toHaveLength(1);
  });
});

describe('payments.reconcile and GET /v1/payments/reconciliation', () => {
  let mismatched: string;

  it('reports zero drift on a normal day', async () => {
    await paidIntent(2500, 'automatic');
    mismatched = (await paidIntent(4000, 'automatic')).id;
    const refunded = await paidIntent(3000, 'automatic');
    const refund = await manager.post(`/v1/payment_intents/${refunded.id}/refund`, {
      amount_cents: 1000,
      reason: 'wrong size',
    });
    expect(refund.statusCode, refund.body).toBe(200);
    // Another tenant's sale is reconciled too (the job covers every tenant).
    const otherCashier = other.as('cashier');
    await paidIntent(700, 'automatic', otherCashier);

    const res = await runReconciliation({ date: today() });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ matched: number; drift: number; lines: { status: string; tenant_id: string }[] }>();
    expect(body.drift).toBe(0);
    // Captures of 900 and 1200 (auto-void tests), 2500, 4000, 3000, 700 and one refund line.
    expect(body.matched).toBe(7);
    expect(body.lines.every((l) => l.status === 'matched')).toBe(true);
    const metrics = await shop.deps.metrics.registry.getSingleMetricAsString('payments_reconciliation_drift');
    expect(metrics).toMatch(/^payments_reconciliation_drift 0$/m);

    // The owner sees the stored run, only the shop's lines.
    const mine = await reconciliation(shop.as('owner'), `?date=${today()}`);
    expect(mine.statusCode, mine.body).toBe(200);
    const own = mine.json<{ matched: number; drift: number; lines: { tenant_id: string }[] }>();
    expect(own).toMatchObject({ matched: 6, drift: 0 });
    expect(own.lines.every((l) => l.tenant_id === shop.tenantId)).toBe(true);
  });

  it('reports an amount changed behind the app as amount_mismatch and the gauge shows 1', async () => {
    await shop.db.query('UPDATE payment_intents SET captured_cents = 3900 WHERE id = $1', [mismatched]);
    const { rows } = await shop.db.query<{ provider_ref: string }>(
      'SELECT provider_ref FROM payment_intents WHERE id = $1',
      [mismatched],
    );
    const res = await runReconciliation({ date: today() });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ drift: number; lines: { provider_ref: string; status: string }[] }>();
    expect(body.drift).toBe(1);
    expect(body.lines.filter((l) => l.status !== 'matched')).toEqual([
      {
        type: 'capture',
        provider_ref: rows[0]?.provider_ref,
        tenant_id: shop.tenantId,
        ours_cents: 3900,
        processor_cents: 4000,
        status: 'amount_mismatch',
      },
    ]);
    const metrics = await shop.deps.metrics.registry.getSingleMetricAsString('payments_reconciliation_drift');
    expect(metrics).toMatch(/^payments_reconciliation_drift 1$/m);
    // The admin of the other tenant sees no drift of theirs.
    const otherAdmin = other.as('admin');
    const theirs = await reconciliation(otherAdmin, `?date=${today()}`);
    expect(theirs.json()).toMatchObject({ matched: 1, drift: 0 });
  });

  it('runs on demand for a day without a stored run (the nightly job: yesterday)', async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const res = await reconciliation(operator);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ date: yesterday, matched: 0, drift: 0, lines: [] });
    const { rows } = await shop.db.query(`SELECT to_char(date, 'YYYY-MM-DD') AS date FROM reconciliation_runs`);
    expect(rows.map((r: { date: string }) => r.date).sort()).toEqual([yesterday, today()].sort());
  });

  it('is for owners, admins and superadmins; running it is for superadmins', async () => {
    expectProblem(await reconciliation(manager, `?date=${today()}`), 403, 'forbidden');
    expectProblem(await reconciliation(cashier, `?date=${today()}`), 403, 'forbidden');
    const anonymous = await shop.anon.get('/v1/payments/reconciliation');
    expectProblem(anonymous, 401, 'unauthorized');
    const ownerToken = shop.as('owner');
    const run = await ownerToken.post('/v1/payments/reconciliation/run', { date: today() });
    expectProblem(run, 403, 'forbidden');
  });

  it('refuses a bad date with 400 and stores nothing', async () => {
    const before = await shop.db.query('SELECT count(*)::int AS n FROM reconciliation_runs');
    for (const date of ['2026-02-30', '20260101', 'yesterday', '2026-1-01', '9999-12-31']) {
      expectProblem(await reconciliation(operator, `?date=${date}`), 400, 'validation_failed');
      expectProblem(await runReconciliation({ date }), 400, 'validation_failed');
    }
    expectProblem(await runReconciliation({ date: today(), extra: 1 }), 400, 'validation_failed');
    const after = await shop.db.query('SELECT count(*)::int AS n FROM reconciliation_runs');
    expect(after.rows).toEqual(before.rows);
  });
});

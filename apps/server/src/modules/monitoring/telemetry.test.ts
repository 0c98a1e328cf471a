import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, useShop, type Client, type Tenant } from '../../../test/harness.ts';
import { dropStale, GAUGE_TTL_MS, telemetryMetrics } from './telemetry.metrics.ts';

const shop = useShop({ name: 'Telemetry Shop', env: { TELEMETRY_SERIES_LIMIT: '3' }, roles: ['cashier'] });
const cashier = shop.as('cashier');
let other: Tenant;
/** When the first snapshot was sent: every gauge of this file was set at or after it. */
let firstSnapshotAt: number;

/** Seed 000's sample snapshot. */
function snapshot(tenantId: string, storeId = 'store-001') {
  return {
    ts: Date.now(),
    labels: { tenant_id: tenantId, store_id: storeId },
    counters: [
      { name: 'pos.print.retry.queued', value: 3 },
      { name: 'pos.print.retry.failed', value: 1 },
      { name: 'pos.print.retry.success', value: 0 },
    ],
    gauges: [
      { name: 'pos.print.queue_depth', value: 4 },
      { name: 'pos.print.retry.last_attempt', value: 1200 },
    ],
  };
}

function post(payload: unknown, as: Client = cashier) {
  return as.post('/v1/pos/telemetry', payload);
}

async function scrape(): Promise<string> {
  return (await shop.anon.get('/metrics')).body;
}

beforeAll(async () => {
  other = await shop.addTenant('Other Shop');
});

describe('POST /v1/pos/telemetry', () => {
  it("turns the till's snapshot (docs/sources.md, seed 000) into pos_print_retry_total and pos_print_gauge", async () => {
    firstSnapshotAt = Date.now();
    const res = await post(snapshot(shop.tenantId));
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ status: 'accepted', counters: 3, gauges: 2, store_id: 'store-001' });
    const text = await scrape();
    const l = `tenant_id="${shop.tenantId}",store_id="store-001"`;
    expect(text).toContain(`pos_print_retry_total{${l},kind="queued"} 3`);
    expect(text).toContain(`pos_print_retry_total{${l},kind="failed"} 1`);
    expect(text).toContain(`pos_print_retry_total{${l},kind="success"} 0`);
    expect(text).toContain(`pos_print_gauge{${l},name="queue_depth"} 4`);
    expect(text).toContain(`pos_print_gauge{${l},name="last_attempt"} 1200`);
  });

  it('adds counters up across snapshots and replaces gauges', async () => {
    const next = snapshot(shop.tenantId);
    next.gauges = [{ name: 'pos.print.queue_depth', value: 1 }];
    expect((await post(next)).statusCode).toBe(202);
    const text = await scrape();
    const l = `tenant_id="${shop.tenantId}",store_id="store-001"`;
    expect(text).toContain(`pos_print_retry_total{${l},kind="queued"} 6`);
    expect(text).toContain(`pos_print_gauge{${l},name="queue_depth"} 1`);
  });

  it("labels with the caller's tenant only: another tenant in labels is 403", async () => {
    expectProblem(await post(snapshot(other.tenantId)), 403, 'tenant_mismatch');
    expectProblem(await post(snapshot(shop.tenantId), other.as('owner')), 403, 'tenant_mismatch');
  });

  it('refuses bad payloads with 400 and records nothing', async () => {
    const before = await scrape();
    const good = snapshot(shop.tenantId, 'store-bad');
    const bad: unknown[] = [
      { ...good, counters: [{ name: 'pos.print.retry.exploded', value: 1 }] }, // name not whitelisted
      { ...good, gauges: [{ name: 'cpu', value: 1 }] },
      { ...good, counters: [{ name: 'pos.print.retry.queued', value: -1 }] }, // counters never go down
      { ...good, counters: [{ name: 'pos.print.retry.queued', value: 1.5 }] },
      { ...good, counters: [{ name: 'pos.print.retry.queued', value: '3' }] }, // never coerced
      { ...good, labels: { tenant_id: shop.tenantId, store_id: 'store 001 "quoted"' } },
      { ...good, labels: { tenant_id: shop.tenantId } },
      { ...good, labels: { ...good.labels, register: 'x' } }, // no free-form labels
      { ...good, extra: true },
      { labels: good.labels, counters: [], gauges: [] }, // no ts
      { ...good, counters: Array.from({ length: 21 }, () => ({ name: 'pos.print.retry.queued', value: 1 })) },
    ];
    for (const payload of bad) {
      const res = await post(payload);
      expectProblem(res, 400, 'validation_failed');
    }
    const malformed = await cashier.post('/v1/pos/telemetry', '{"ts":', {
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(malformed, 400, 'malformed_json');
    expect(await scrape()).not.toContain('store-bad');
    expect((await scrape()).match(/^pos_print_retry_total\{/gm)?.length).toBe(
      before.match(/^pos_print_retry_total\{/gm)?.length,
    );
  });

  it('drops a gauge series no till has reported for 10 minutes (many servers: no stale value keeps an alert up)', async () => {
    const m = telemetryMetrics(shop.deps.metrics.registry, { pairs: 3, tenants: 100 });
    dropStale(m, firstSnapshotAt + GAUGE_TTL_MS); // every gauge here was set at or after firstSnapshotAt
    expect(await scrape()).toContain('pos_print_gauge{');
    dropStale(m, Date.now() + GAUGE_TTL_MS + 1000);
    const text = await scrape();
    expect(text).not.toMatch(/^pos_print_gauge\{/m);
    expect(text).toMatch(/^pos_print_retry_total\{/m); // counters stay: rate() and increase() need them
  });

  it('needs a signed-in till user', async () => {
    const res = await shop.anon.post('/v1/pos/telemetry', snapshot(shop.tenantId));
    expectProblem(res, 401, 'unauthorized');
  });

  it('caps the (tenant, store) pairs: past TELEMETRY_SERIES_LIMIT new stores share store_id="other"', async () => {
    // store-001 is the first pair; the limit is 3.
    for (const store of ['store-002', 'store-003']) {
      expect((await post(snapshot(shop.tenantId, store))).json().store_id).toBe(store);
    }
    for (const store of ['store-004', 'store-005']) {
      expect((await post(snapshot(shop.tenantId, store))).json().store_id).toBe('other');
    }
    const text = await scrape();
    expect(text).not.toContain('store-004');
    expect(text).toContain(`pos_print_retry_total{tenant_id="${shop.tenantId}",store_id="other",kind="queued"} 6`);
  });
});

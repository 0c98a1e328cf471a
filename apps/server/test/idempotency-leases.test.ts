import { createHash } from 'node:crypto';
import { canonicalJson } from '@novapos/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/platform/ids.ts';
import { seedCatalog, SEED_ITEMS } from './fixtures.ts';
import { expectProblem, useShop } from './harness.ts';
import { until, waitForLockWait } from './timing.ts';

/**
 * Issue 13, defect 6: a claimed Idempotency-Key is held by a lease its running request renews; a key whose request
 * died with its process is taken over by the same request once the lease has run out. A short lease (2 s) keeps
 * the renewal test quick; the other tests set the lease themselves, as a dead process would have left it.
 */
const shop = useShop({ env: { IDEMPOTENCY_LEASE_SECONDS: '2' } });
const till = shop.as('till');
const PATH = '/v1/orders/sku';

beforeAll(async () => {
  await seedCatalog(shop);
});

function saleBody(): { id: string; register_id: string; items: typeof SEED_ITEMS; tenders: unknown[] } {
  return {
    id: newId(),
    register_id: shop.registerId,
    items: SEED_ITEMS,
    tenders: [{ method: 'cash', amount_cents: 1000 }],
  };
}

function fingerprint(body: unknown): string {
  return createHash('sha256').update(`POST ${PATH}\n`).update(canonicalJson(body)).digest('hex');
}

/** The row a request leaves when its process dies mid-request: `in_progress`, lease as given, no response. */
async function leaveClaim(key: string, body: unknown, lease: 'expired' | 'live'): Promise<void> {
  await shop.db.query(
    `INSERT INTO idempotency_keys (tenant_id, key, method, path, fingerprint, status, expires_at, lease_until, holder)
     VALUES ($1, $2, 'POST', $3, $4, 'in_progress', now() + interval '24 hours',
             now() + CASE WHEN $5 = 'live' THEN interval '1 hour' ELSE interval '-1 second' END, gen_random_uuid())`,
    [shop.tenantId, key, PATH, fingerprint(body), lease],
  );
}

async function ordersWithId(id: string): Promise<number> {
  const { rows } = await shop.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM orders WHERE tenant_id = $1 AND id = $2',
    [shop.tenantId, id],
  );
  return rows[0]!.n;
}

async function keyRow(key: string) {
  const { rows } = await shop.db.query<{ status: string; lease_until: Date; holder: string | null }>(
    'SELECT status, lease_until, holder FROM idempotency_keys WHERE tenant_id = $1 AND key = $2',
    [shop.tenantId, key],
  );
  return rows[0];
}

describe('an Idempotency-Key left in progress by a request that died', () => {
  it('is taken over once its lease ran out: a sale never saved is created, once', async () => {
    const body = saleBody();
    const key = newId();
    await leaveClaim(key, body, 'expired');
    const res = await till.post(PATH, body, { idempotencyKey: key });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ id: body.id, status: 'completed' });
    expect(await ordersWithId(body.id)).toBe(1);
    expect(await keyRow(key)).toMatchObject({ status: 'completed' });
    expect((await shop.anon.get('/metrics')).body).toMatch(/^idempotency_takeovers_total [1-9]/m);
    // The stored answer is the takeover's: the next retry replays it.
    const again = await till.post(PATH, body, { idempotencyKey: key });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(res.body);
  });

  it('is taken over once its lease ran out: a sale committed before the crash is answered as the first order', async () => {
    const body = saleBody();
    const key = newId();
    // The dead request had saved the order (its client id) but not its answer.
    const first = await till.post(PATH, body);
    expect(first.statusCode, first.body).toBe(201);
    await leaveClaim(key, body, 'expired');
    const res = await till.post(PATH, body, { idempotencyKey: key });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: body.id, number: first.json().number, status: 'completed' });
    expect(await ordersWithId(body.id)).toBe(1);
  });

  it('is still 409 idempotency_key_in_use while its lease is live', async () => {
    const body = saleBody();
    const key = newId();
    await leaveClaim(key, body, 'live');
    const res = await till.post(PATH, body, { idempotencyKey: key });
    expectProblem(res, 409, 'idempotency_key_in_use');
    expect(res.headers['retry-after']).toBe('1');
    expect(await ordersWithId(body.id)).toBe(0);
  });

  it('is not taken over by another request: 422 idempotency_key_reused, and the key stays as it was', async () => {
    const body = saleBody();
    const key = newId();
    await leaveClaim(key, body, 'expired');
    const before = await keyRow(key);
    const other = { ...saleBody(), id: body.id, items: [{ sku: 'SKU-WATER', quantity: 1 }] };
    expectProblem(await till.post(PATH, other, { idempotencyKey: key }), 422, 'idempotency_key_reused');
    expect(await keyRow(key)).toEqual(before);
    expect(await ordersWithId(body.id)).toBe(0);
  });
});

describe('a running request', () => {
  it('renews its lease while it runs: a retry is 409 past the first lease, and the key completes', async () => {
    const body = saleBody();
    const key = newId();
    // Hold the register's counter row: the sale claims its key, then waits for the row (its first lock).
    const locker = await shop.db.connect();
    let released = false;
    try {
      await locker.query('BEGIN');
      await locker.query(
        `INSERT INTO register_counters AS c (register_id, tenant_id, last_number) VALUES ($1, $2, 0)
         ON CONFLICT (register_id) DO UPDATE SET last_number = c.last_number`,
        [shop.registerId, shop.tenantId],
      );
      const sale = till.post(PATH, body, { idempotencyKey: key });
      await waitForLockWait(shop.db);
      const claimed = await keyRow(key);
      expect(claimed).toMatchObject({ status: 'in_progress' });
      const firstLease = claimed!.lease_until;
      // Wait (for a row, not a time) until the first lease has passed and the key is still held under a later one.
      await until('the lease renewed past the first one', async () => {
        const { rows } = await shop.db.query<{ renewed: boolean }>(
          `SELECT now() > $3 AND lease_until > now() AND status = 'in_progress' AS renewed
             FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`,
          [shop.tenantId, key, firstLease],
        );
        return rows[0]?.renewed === true;
      });
      expect((await keyRow(key))?.holder).toBe(claimed!.holder);
      expectProblem(await till.post(PATH, body, { idempotencyKey: key }), 409, 'idempotency_key_in_use');

      await locker.query('COMMIT');
      released = true;
      const res = await sale;
      expect(res.statusCode, res.body).toBe(201);
      expect(await keyRow(key)).toMatchObject({ status: 'completed' });
      const replay = await till.post(PATH, body, { idempotencyKey: key });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(await ordersWithId(body.id)).toBe(1);
    } finally {
      if (!released) await locker.query('ROLLBACK');
      locker.release();
    }
  });
});

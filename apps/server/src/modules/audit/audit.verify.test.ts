import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestTenant,
  login,
  type TestApp,
  type TestTenant,
} from '../../../test/harness.ts';
import { systemContext, type RequestContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { newId } from '../../platform/ids.ts';
import { contentOf } from './audit.chain-check.ts';
import { auditHash } from './audit.hash.ts';
import type { AuditEventRow } from './audit.query.repo.ts';
import { verifyChains } from './audit.service.ts';
import { recordAudit, type AuditEntry } from './index.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** A till context: its events go to the register's chain. */
function tillCtx(shop: TestTenant, registerId = shop.registerId): RequestContext {
  return { ...systemContext(shop.tenantId), registerId };
}

function record(ctx: RequestContext, entry: AuditEntry): Promise<string> {
  return tenantTx(t.deps.db, ctx, (tx) => recordAudit(tx, ctx, entry));
}

/** Runs `fn` as the database superuser, behind the application's back. */
async function asSuperuser<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: t.database.ownerUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

interface StoredRow {
  id: string;
  seq: number;
  prev_hash: string;
  hash: string;
}

function chainRows(chainKey: string): Promise<StoredRow[]> {
  return asSuperuser(async (c) => {
    const { rows } = await c.query<StoredRow>(
      'SELECT id, seq::int AS seq, prev_hash, hash FROM audit_events WHERE chain_key = $1 ORDER BY seq',
      [chainKey],
    );
    return rows;
  });
}

function tenantEventCount(tenantId: string): Promise<number> {
  return asSuperuser(async (c) => {
    const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1', [
      tenantId,
    ]);
    return rows[0]!.n;
  });
}

/** A new tenant with `n` till events on its register's chain; returns their ids in order. */
async function shopWithTillEvents(n: number): Promise<{ shop: TestTenant; ids: string[]; chainKey: string }> {
  const shop = await createTestTenant(t);
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) {
    ids.push(
      await record(tillCtx(shop), {
        action: 'sale.completed',
        entityType: 'order',
        entityId: `order-${String(i)}`,
        data: { total_cents: i * 100, lines: [{ sku: 'SODA', qty: i }] },
      }),
    );
  }
  return { shop, ids, chainKey: `register:${shop.registerId}` };
}

async function verifyAsOwner(shop: TestTenant): Promise<Record<string, unknown>> {
  const { access_token } = await login(t, shop.emails.owner);
  const res = await t.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(access_token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('recordAudit', () => {
  it('chains rows: seq 1..n, each prev_hash the hash before it, the head at the last row', async () => {
    const { shop, ids, chainKey } = await shopWithTillEvents(5);
    const rows = await chainRows(chainKey);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows[0]!.prev_hash).toBe('');
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    const head = await asSuperuser((c) =>
      c.query('SELECT seq::int AS seq, head_hash FROM audit_chain_heads WHERE chain_key = $1', [chainKey]),
    );
    expect(head.rows[0]).toEqual({ seq: 5, head_hash: rows[4]!.hash });

    const result = await verifyAsOwner(shop);
    // The tenant's back-office chain holds tenant.created and the owner's sign-in; the register chain our 5.
    expect(result).toEqual({ ok: true, checked: await tenantEventCount(shop.tenantId), chains: 2 });
    expect(result.checked).toBeGreaterThanOrEqual(5);
  });

  it('verifies in batches smaller than a chain, across chain boundaries', async () => {
    const { shop } = await shopWithTillEvents(7);
    await record({ ...systemContext(shop.tenantId) }, { action: 'setting.changed', entityType: 'setting' });
    const result = await verifyChains(t.deps.db, systemContext(shop.tenantId), { batchSize: 2 });
    expect(result).toEqual({ ok: true, checked: await tenantEventCount(shop.tenantId), chains: 2 });
  });
});

describe('GET /v1/audit/verify after tampering behind the application', () => {
  it('finds an altered row', async () => {
    const { shop, ids, chainKey } = await shopWithTillEvents(5);
    await asSuperuser((c) => c.query(`UPDATE audit_events SET data = '{"total_cents": 1}' WHERE id = $1`, [ids[2]]));
    const result = await verifyAsOwner(shop);
    expect(result).toMatchObject({ ok: false, first_bad_id: ids[2], first_bad_chain: chainKey });
    expect(result.reason).toMatch(/altered/);
  });

  it('finds a row altered together with its own hash: the next row no longer links to it', async () => {
    const { shop, ids, chainKey } = await shopWithTillEvents(5);
    await asSuperuser(async (c) => {
      const { rows } = await c.query<AuditEventRow>('SELECT * FROM audit_events WHERE id = $1', [ids[2]]);
      const row = rows[0]!;
      const forged = contentOf({ ...row, data: { total_cents: 1 } });
      await c.query('UPDATE audit_events SET data = $2, hash = $3 WHERE id = $1', [
        row.id,
        JSON.stringify(forged.data),
        auditHash(row.prev_hash, forged),
      ]);
    });
    const result = await verifyAsOwner(shop);
    expect(result).toMatchObject({ ok: false, first_bad_id: ids[3], first_bad_chain: chainKey });
    expect(result.reason).toMatch(/prev_hash/);
  });

  it('finds a deleted row in the middle of a chain', async () => {
    const { shop, ids, chainKey } = await shopWithTillEvents(5);
    await asSuperuser((c) => c.query('DELETE FROM audit_events WHERE id = $1', [ids[2]]));
    const result = await verifyAsOwner(shop);
    expect(result).toMatchObject({ ok: false, first_bad_id: ids[3], first_bad_chain: chainKey });
    expect(result.reason).toMatch(/seq 4 follows seq 2/);
  });

  it('finds rows deleted from the end of a chain through its head', async () => {
    const { shop, ids, chainKey } = await shopWithTillEvents(5);
    await asSuperuser((c) => c.query('DELETE FROM audit_events WHERE id = $1', [ids[4]]));
    const result = await verifyAsOwner(shop);
    expect(result).toMatchObject({ ok: false, first_bad_chain: chainKey });
    expect(result).not.toHaveProperty('first_bad_id');
    expect(result.reason).toMatch(/ends at seq 4 but its head is at seq 5/);
  });

  it('finds a chain whose head was deleted', async () => {
    const { shop, ids, chainKey } = await shopWithTillEvents(3);
    await asSuperuser((c) => c.query('DELETE FROM audit_chain_heads WHERE chain_key = $1', [chainKey]));
    const result = await verifyAsOwner(shop);
    expect(result).toMatchObject({ ok: false, first_bad_id: ids[0], first_bad_chain: chainKey });
    expect(result.reason).toMatch(/no chain head/);
  });

  it('finds a chain whose rows were all deleted', async () => {
    const { shop, chainKey } = await shopWithTillEvents(3);
    await asSuperuser((c) => c.query('DELETE FROM audit_events WHERE chain_key = $1', [chainKey]));
    const result = await verifyAsOwner(shop);
    expect(result).toMatchObject({ ok: false, first_bad_chain: chainKey });
    expect(result.reason).toMatch(/no rows/);
  });
});

describe('append-only for the application role', () => {
  it('refuses UPDATE and DELETE of audit_events inside a tenant transaction', async () => {
    const { shop, ids } = await shopWithTillEvents(2);
    const ctx = systemContext(shop.tenantId);
    await expect(
      tenantTx(t.deps.db, ctx, (tx) =>
        tx.query(`UPDATE audit_events SET data = '{"total_cents": 1}' WHERE id = $1`, [ids[0]]),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      tenantTx(t.deps.db, ctx, (tx) => tx.query('DELETE FROM audit_events WHERE id = $1', [ids[1]])),
    ).rejects.toThrow(/permission denied/);
    expect(await verifyChains(t.deps.db, ctx)).toMatchObject({
      ok: true,
      checked: await tenantEventCount(shop.tenantId),
    });
  });
});

describe('tenants', () => {
  it('verify counts only the caller tenant', async () => {
    const a = await shopWithTillEvents(3);
    const b = await shopWithTillEvents(4);
    // Break B: A's verification must neither see it nor count B's rows.
    await asSuperuser((c) => c.query(`UPDATE audit_events SET data = '{}' WHERE id = $1`, [b.ids[0]]));
    const result = await verifyAsOwner(a.shop);
    expect(result).toEqual({ ok: true, checked: await tenantEventCount(a.shop.tenantId), chains: 2 });
    expect((await verifyAsOwner(b.shop)).ok).toBe(false);
  });
});

describe('concurrency', () => {
  it('gives 20 concurrent writers of one chain seq 1..20 without gaps', async () => {
    const shop = await createTestTenant(t);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        record(tillCtx(shop), { action: 'sale.completed', entityType: 'order', data: { n: i } }),
      ),
    );
    const rows = await chainRows(`register:${shop.registerId}`);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await verifyChains(t.deps.db, systemContext(shop.tenantId))).toMatchObject({ ok: true, chains: 2 });
  });

  it('lets a second register write while the first holds its chain head, and both chains verify', async () => {
    const shop = await createTestTenant(t);
    const otherRegister = newId();
    await asSuperuser((c) =>
      c.query('INSERT INTO registers (id, tenant_id, location_id, name) VALUES ($1, $2, $3, $4)', [
        otherRegister,
        shop.tenantId,
        shop.locationId,
        'Till 2',
      ]),
    );
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = tenantTx(t.deps.db, tillCtx(shop), async (tx) => {
      await recordAudit(tx, tillCtx(shop), { action: 'sale.completed', entityType: 'order' });
      entered();
      await held; // the first register's head row stays locked until this transaction ends
    });
    await inside;
    const within = <T>(p: Promise<T>, ms: number) =>
      Promise.race([p.then(() => 'done'), new Promise((r) => setTimeout(() => r('waiting'), ms))]);

    const otherTill = record(tillCtx(shop, otherRegister), { action: 'sale.completed', entityType: 'order' });
    expect(await within(otherTill, 5000)).toBe('done');
    // The same register does wait: that is the lock that keeps its chain total.
    const sameTill = record(tillCtx(shop), { action: 'sale.completed', entityType: 'order' });
    expect(await within(sameTill, 300)).toBe('waiting');
    release();
    await Promise.all([first, sameTill]);

    expect((await chainRows(`register:${shop.registerId}`)).map((r) => r.seq)).toEqual([1, 2]);
    expect((await chainRows(`register:${otherRegister}`)).map((r) => r.seq)).toEqual([1]);
    expect(await verifyChains(t.deps.db, systemContext(shop.tenantId))).toEqual({
      ok: true,
      checked: await tenantEventCount(shop.tenantId),
      chains: 3,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { useShop, type Tenant } from '../../../test/harness.ts';
import { settledState, waitForLockWait } from '../../../test/timing.ts';
import { systemContext, type RequestContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { newId } from '../../platform/ids.ts';
import { contentOf } from './audit.chain-check.ts';
import { auditHash } from './audit.hash.ts';
import type { AuditEventRow } from './audit.query.repo.ts';
import { verifyChains } from './audit.service.ts';
import { recordAudit, type AuditEntry } from './index.ts';

// Each test makes tenants of its own; the shop's first one is not used.
const app = useShop({ roles: [] });

/** A till context: its events go to the register's chain. */
function tillCtx(shop: Tenant, registerId = shop.registerId): RequestContext {
  return { ...systemContext(shop.tenantId), registerId };
}

function record(ctx: RequestContext, entry: AuditEntry): Promise<string> {
  return tenantTx(app.deps.db, ctx, (tx) => recordAudit(tx, ctx, entry));
}

interface StoredRow {
  id: string;
  seq: number;
  prev_hash: string;
  hash: string;
}

async function chainRows(chainKey: string): Promise<StoredRow[]> {
  const { rows } = await app.db.query<StoredRow>(
    'SELECT id, seq::int AS seq, prev_hash, hash FROM audit_events WHERE chain_key = $1 ORDER BY seq',
    [chainKey],
  );
  return rows;
}

async function tenantEventCount(tenantId: string): Promise<number> {
  return (await app.audit({ tenantId })).length;
}

/** A new tenant with `n` till events on its register's chain; returns their ids in order. */
async function shopWithTillEvents(n: number): Promise<{ shop: Tenant; ids: string[]; chainKey: string }> {
  const shop = await app.addTenant(undefined, []);
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

async function verifyAsOwner(shop: Tenant): Promise<Record<string, unknown>> {
  const res = await shop.as('owner').get('/v1/audit/verify');
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
    const head = await app.db.query('SELECT seq::int AS seq, head_hash FROM audit_chain_heads WHERE chain_key = $1', [
      chainKey,
    ]);
    expect(head.rows[0]).toEqual({ seq: 5, head_hash: rows[4]!.hash });

    const result = await verifyAsOwner(shop);
    // The tenant's back-office chain holds tenant.created and the owner's sign-in; the register chain our 5.
    expect(result).toEqual({ ok: true, checked: await tenantEventCount(shop.tenantId), chains: 2 });
    expect(result.checked).toBeGreaterThanOrEqual(5);
  });

  it('verifies in batches smaller than a chain, across chain boundaries', async () => {
    const { shop } = await shopWithTillEvents(7);
    await record({ ...systemContext(shop.tenantId) }, { action: 'setting.changed', entityType: 'setting' });
    const result = await verifyChains(app.deps.db, systemContext(shop.tenantId), { batchSize: 2 });
    expect(result).toEqual({ ok: true, checked: await tenantEventCount(shop.tenantId), chains: 2 });
  });
});

describe('GET /v1/audit/verify after tampering behind the application', () => {
  it('finds an altered row', async () => {
    const { shop, ids, chainKey } = await shopWithTillEvents(5);
    await app.db.query(`UPDATE audit_events SET data = '{"total_cents": 1}' WHERE id = $1`, [ids[2]]);
    const result = await verifyAsOwner(shop);
    expect(result).toMatchObject({ ok: false, first_bad_id: ids[2], first_bad_chain: chainKey });
    expect(result.reason).toMatch(/altered/);
  });

  it('finds a row altered together with its own hash: the next row no longer links to it', async () => {
    const { shop, ids, chainKey } = await shopWithTillEvents(5);
    const { rows } = await app.db.query<AuditEventRow>('SELECT * FROM audit_events WHERE id = $1', [ids[2]]);
    const row = rows[0]!;
    const forged = contentOf({ ...row, data: { total_cents: 1 } });
    await app.db.query('UPDATE audit_events SET data = $2, hash = $3 WHERE id = $1', [
      row.id,
      JSON.stringify(forged.data),
      auditHash(row.prev_hash, forged),
    ]);
    const result = await verifyAsOwner(shop);
    expect(result).toMatchObject({ ok: false, first_bad_id: ids[3], first_bad_chain: chainKey });
    expect(result.reason).toMatch(/prev_hash/);
  });

  it('finds a deleted row in the middle of a chain', async () => {
    const { shop, ids, chainKey } = await shopWithTillEvents(5);
    await app.db.query('DELETE FROM audit_events WHERE id = $1', [ids[2]]);
    const result = await verifyAsOwner(shop);
    expect(result).toMatchObject({ ok: false, first_bad_id: ids[3], first_bad_chain: chainKey });
    expect(result.reason).toMatch(/seq 4 follows seq 2/);
  });

  it('finds rows deleted from the end of a chain through its head', async () => {
    const { shop, ids, chainKey } = await shopWithTillEvents(5);
    await app.db.query('DELETE FROM audit_events WHERE id = $1', [ids[4]]);
    const result = await verifyAsOwner(shop);
    expect(result).toMatchObject({ ok: false, first_bad_chain: chainKey });
    expect(result).not.toHaveProperty('first_bad_id');
    expect(result.reason).toMatch(/ends at seq 4 but its head is at seq 5/);
  });

  it('finds a chain whose head was deleted', async () => {
    const { shop, ids, chainKey } = await shopWithTillEvents(3);
    await app.db.query('DELETE FROM audit_chain_heads WHERE chain_key = $1', [chainKey]);
    const result = await verifyAsOwner(shop);
    expect(result).toMatchObject({ ok: false, first_bad_id: ids[0], first_bad_chain: chainKey });
    expect(result.reason).toMatch(/no chain head/);
  });

  it('finds a chain whose rows were all deleted', async () => {
    const { shop, chainKey } = await shopWithTillEvents(3);
    await app.db.query('DELETE FROM audit_events WHERE chain_key = $1', [chainKey]);
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
      tenantTx(app.deps.db, ctx, (tx) =>
        tx.query(`UPDATE audit_events SET data = '{"total_cents": 1}' WHERE id = $1`, [ids[0]]),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      tenantTx(app.deps.db, ctx, (tx) => tx.query('DELETE FROM audit_events WHERE id = $1', [ids[1]])),
    ).rejects.toThrow(/permission denied/);
    expect(await verifyChains(app.deps.db, ctx)).toMatchObject({
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
    await app.db.query(`UPDATE audit_events SET data = '{}' WHERE id = $1`, [b.ids[0]]);
    const result = await verifyAsOwner(a.shop);
    expect(result).toEqual({ ok: true, checked: await tenantEventCount(a.shop.tenantId), chains: 2 });
    expect((await verifyAsOwner(b.shop)).ok).toBe(false);
  });
});

describe('concurrency', () => {
  it('gives 20 concurrent writers of one chain seq 1..20 without gaps', async () => {
    const shop = await app.addTenant(undefined, []);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        record(tillCtx(shop), { action: 'sale.completed', entityType: 'order', data: { n: i } }),
      ),
    );
    const rows = await chainRows(`register:${shop.registerId}`);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await verifyChains(app.deps.db, systemContext(shop.tenantId))).toMatchObject({ ok: true, chains: 2 });
  });

  it('lets a second register write while the first holds its chain head, and both chains verify', async () => {
    const shop = await app.addTenant(undefined, []);
    const otherRegister = newId();
    await app.db.query('INSERT INTO registers (id, tenant_id, location_id, name) VALUES ($1, $2, $3, $4)', [
      otherRegister,
      shop.tenantId,
      shop.locationId,
      'Till 2',
    ]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = tenantTx(app.deps.db, tillCtx(shop), async (tx) => {
      await recordAudit(tx, tillCtx(shop), { action: 'sale.completed', entityType: 'order' });
      entered();
      await held; // the first register's head row stays locked until this transaction ends
    });
    await inside;
    // Done or blocked, whichever happens first: no guess of how long a write may take.
    const doneOrWaiting = async (write: Promise<unknown>): Promise<'done' | 'waiting'> => {
      const lost = new AbortController();
      const outcome = await Promise.race([
        write.then(() => 'done' as const),
        waitForLockWait(app.db, lost.signal).then(() => 'waiting' as const),
      ]);
      lost.abort();
      return outcome;
    };

    const otherTill = record(tillCtx(shop, otherRegister), { action: 'sale.completed', entityType: 'order' });
    expect(await doneOrWaiting(otherTill)).toBe('done');
    // The same register does wait: that is the lock that keeps its chain total.
    const sameTill = record(tillCtx(shop), { action: 'sale.completed', entityType: 'order' });
    const sameTillSettled = settledState(sameTill);
    expect(await doneOrWaiting(sameTill)).toBe('waiting');
    expect(sameTillSettled()).toBe(false);
    release();
    await Promise.all([first, sameTill]);

    expect((await chainRows(`register:${shop.registerId}`)).map((r) => r.seq)).toEqual([1, 2]);
    expect((await chainRows(`register:${otherRegister}`)).map((r) => r.seq)).toEqual([1]);
    expect(await verifyChains(app.deps.db, systemContext(shop.tenantId))).toEqual({
      ok: true,
      checked: await tenantEventCount(shop.tenantId),
      chains: 3,
    });
  });
});

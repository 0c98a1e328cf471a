import { beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type RequestContext } from '../src/platform/context.ts';
import { tenantTx } from '../src/platform/db/tx.ts';
import { newId } from '../src/platform/ids.ts';
import { useShop, type Tenant } from './harness.ts';

// Tenant isolation holds in the database itself: the app pool's queries carry no tenant filter here, and still
// see only the tenant of the transaction.
/** The shop: its app, and tenant A. */
const a = useShop({ name: 'Shop A', roles: [] });
let b: Tenant;
let ctxA: RequestContext;

/** Tables with a tenant_id that the request handlers read and write. */
const TENANT_TABLES = ['users', 'locations', 'registers', 'user_locations', 'refresh_tokens', 'audit_events'] as const;

beforeAll(async () => {
  b = await a.addTenant('Shop B', []);
  ctxA = systemContext(a.tenantId);
  // Rows of every kind in both tenants, and more in B so that a count cannot match by chance.
  for (const shop of [a, b, b]) {
    // A new sign-in each time, as each one adds a refresh token.
    const owner = a.withToken((await shop.signIn('owner')).access_token);
    const loc = await owner.post('/v1/locations', { name: `Extra ${newId()}` });
    expect(loc.statusCode).toBe(201);
    const reg = await owner.post('/v1/registers', { location_id: loc.json().id, name: 'Extra till' });
    expect(reg.statusCode).toBe(201);
    const user = await owner.post('/v1/users', {
      email: `extra.${newId()}@example.com`,
      display_name: 'Extra',
      roles: ['cashier'],
      location_ids: [loc.json().id],
    });
    expect(user.statusCode).toBe(201);
  }
});

/** Rows of a table per tenant, as the table owner (not subject to RLS) sees them. */
async function ownerCount(table: string, tenantId: string): Promise<number> {
  const { rows } = await a.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [
    tenantId,
  ]);
  return rows[0]!.n;
}

describe('inside a tenant transaction', () => {
  it.each(TENANT_TABLES)('%s: a query without a tenant filter returns only that tenant’s rows', async (table) => {
    const rows = await tenantTx(
      a.deps.db,
      ctxA,
      async (tx) => (await tx.query<{ tenant_id: string }>(`SELECT tenant_id FROM ${table}`)).rows,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.tenant_id === a.tenantId)).toBe(true);
    expect(rows.length).toBe(await ownerCount(table, a.tenantId));
    expect(await ownerCount(table, b.tenantId)).toBeGreaterThan(0);
  });

  it("cannot write a row into another tenant, nor change another tenant's rows", async () => {
    await expect(
      tenantTx(a.deps.db, ctxA, (tx) =>
        tx.query('INSERT INTO locations (id, tenant_id, name) VALUES ($1, $2, $3)', [newId(), b.tenantId, 'Intruder']),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    const updated = await tenantTx(a.deps.db, ctxA, (tx) =>
      tx.query(`UPDATE users SET display_name = 'Hacked' WHERE tenant_id = $1`, [b.tenantId]),
    );
    expect(updated.rowCount).toBe(0);
    const { rows } = await a.db.query(
      `SELECT 1 FROM users WHERE display_name = 'Hacked' UNION ALL SELECT 1 FROM locations WHERE name = 'Intruder'`,
    );
    expect(rows).toHaveLength(0);
  });
});

describe('outside any tenant transaction', () => {
  it('the app pool sees no tenant rows', async () => {
    for (const table of TENANT_TABLES) {
      const { rows } = await a.deps.db.app.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE tenant_id IS NOT NULL`,
      );
      expect({ table, n: rows[0]!.n }).toEqual({ table, n: 0 });
    }
    for (const table of ['users', 'locations', 'registers', 'user_locations', 'tenants', 'idempotency_keys']) {
      const { rows } = await a.deps.db.app.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      expect({ table, n: rows[0]!.n }).toEqual({ table, n: 0 });
    }
  });

  it('a pooled connection does not keep the tenant of its last transaction', async () => {
    // More transactions than the pool has connections, so every connection has served tenant A.
    await Promise.all(Array.from({ length: 8 }, () => tenantTx(a.deps.db, ctxA, (tx) => tx.query('SELECT 1'))));
    for (let i = 0; i < 8; i++) {
      const { rows } = await a.deps.db.app.query<{ tenant: string | null }>('SELECT app_current_tenant() AS tenant');
      expect(rows[0]!.tenant).toBeNull();
    }
  });

  it('the app pool runs as novapos_app: not a superuser, no BYPASSRLS', async () => {
    const { rows } = await a.deps.db.app.query<{ who: string; rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT current_user AS who, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    expect(rows[0]).toEqual({ who: 'novapos_app', rolsuper: false, rolbypassrls: false });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestTenant,
  expectProblem,
  login,
  type TestApp,
  type TestTenant,
} from '../../../test/harness.ts';

let t: TestApp;
let shop: TestTenant;
let owner: string;
let cashier: string;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestTenant(t);
  owner = (await login(t, shop.emails.owner)).access_token;
  cashier = (await login(t, shop.emails.cashier)).access_token;
});
afterAll(() => t.close());

function call(token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
}

async function auditOf(entityId: string): Promise<{ action: string; data: Record<string, unknown> }[]> {
  const { rows } = await t.deps.db.system.query(
    'SELECT action, data FROM audit_events WHERE entity_id = $1 ORDER BY occurred_at, seq',
    [entityId],
  );
  return rows as { action: string; data: Record<string, unknown> }[];
}

describe('/v1/categories', () => {
  it('creates, lists in position order page by page, renames and archives, auditing each', async () => {
    const made: { id: string; name: string }[] = [];
    for (const [name, position] of [
      ['Bakery', 20],
      ['Drinks', 10],
      ['Dairy', 20],
      ['Fruit', 5],
    ] as const) {
      const res = await call(owner, 'POST', '/v1/categories', { name, position });
      expect(res.statusCode, res.body).toBe(201);
      made.push(res.json());
    }
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/categories?limit=3${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page = (await call(cashier, 'GET', url)).json();
      names.push(...page.data.map((c: { name: string }) => c.name));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(names).toEqual(['Fruit', 'Drinks', 'Bakery', 'Dairy']);

    const bakery = made[0]!;
    const renamed = await call(owner, 'PATCH', `/v1/categories/${bakery.id}`, { name: 'Bread', position: 20 });
    expect(renamed.json()).toMatchObject({ name: 'Bread', position: 20 });
    const archived = await call(owner, 'POST', `/v1/categories/${bakery.id}/archive`);
    expect(archived.json().archived_at).not.toBeNull();
    expect((await auditOf(bakery.id)).map((a) => a.action)).toEqual([
      'category.created',
      'category.updated',
      'category.archived',
    ]);
    expect((await auditOf(bakery.id))[1]!.data).toEqual({ before: { name: 'Bakery' }, after: { name: 'Bread' } });
    const active = (await call(cashier, 'GET', '/v1/categories?limit=200')).json().data;
    expect(active.map((c: { name: string }) => c.name)).not.toContain('Bread');
    const all = (await call(cashier, 'GET', '/v1/categories?limit=200&include_archived=true')).json().data;
    expect(all.map((c: { name: string }) => c.name)).toContain('Bread');
  });

  it('refuses a name taken in any case (409 name_taken), blank names and unknown fields', async () => {
    await call(owner, 'POST', '/v1/categories', { name: 'Frozen' });
    expectProblem(await call(owner, 'POST', '/v1/categories', { name: ' FROZEN ' }), 409, 'name_taken');
    expectProblem(await call(owner, 'POST', '/v1/categories', { name: '  ' }), 400, 'validation_failed');
    expectProblem(await call(owner, 'POST', '/v1/categories', { name: 'X', colour: 1 }), 400, 'validation_failed');
    expectProblem(
      await call(owner, 'PATCH', '/v1/categories/01890000-0000-7000-8000-000000000000', { name: 'Y' }),
      404,
      'category_not_found',
    );
  });

  it('lets every role read but only managers and above write', async () => {
    expectProblem(await call(cashier, 'POST', '/v1/categories', { name: 'By cashier' }), 403, 'forbidden');
    const manager = (await login(t, shop.emails.manager)).access_token;
    expect((await call(manager, 'POST', '/v1/categories', { name: 'By manager' })).statusCode).toBe(201);
  });
});

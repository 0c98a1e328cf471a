import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, useShop, type Tenant, type TenantActor } from '../../../test/harness.ts';

const shop = useShop({ roles: ['owner', 'cashier'] });
const owner = shop.as('owner');
const cashier = shop.as('cashier');

describe('/v1/categories', () => {
  it('creates, lists in position order page by page, renames and archives, auditing each', async () => {
    const made: { id: string; name: string }[] = [];
    for (const [name, position] of [
      ['Bakery', 20],
      ['Drinks', 10],
      ['Dairy', 20],
      ['Fruit', 5],
    ] as const) {
      const res = await owner.post('/v1/categories', { name, position });
      expect(res.statusCode, res.body).toBe(201);
      made.push(res.json());
    }
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/categories?limit=3${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page = (await cashier.get(url)).json();
      names.push(...page.data.map((c: { name: string }) => c.name));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(names).toEqual(['Fruit', 'Drinks', 'Bakery', 'Dairy']);

    const bakery = made[0]!;
    const renamed = await owner.patch(`/v1/categories/${bakery.id}`, { name: 'Bread', position: 20 });
    expect(renamed.json()).toMatchObject({ name: 'Bread', position: 20 });
    const archived = await owner.post(`/v1/categories/${bakery.id}/archive`);
    expect(archived.json().archived_at).not.toBeNull();
    expect(await shop.audit({ entityId: bakery.id })).toMatchAudit([
      'category.created',
      'category.updated',
      'category.archived',
    ]);
    expect((await shop.audit({ entityId: bakery.id }))[1]!.data).toEqual({
      before: { name: 'Bakery' },
      after: { name: 'Bread' },
    });
    const active = (await cashier.get('/v1/categories?limit=200')).json().data;
    expect(active.map((c: { name: string }) => c.name)).not.toContain('Bread');
    const all = (await cashier.get('/v1/categories?limit=200&include_archived=true')).json().data;
    expect(all.map((c: { name: string }) => c.name)).toContain('Bread');
  });

  it('puts a category created without a position last: 10 after the last active one', async () => {
    const active = (await cashier.get('/v1/categories?limit=200')).json().data as { position: number }[];
    const last = Math.max(0, ...active.map((c) => c.position));
    const res = await owner.post('/v1/categories', { name: 'Last one' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().position).toBe(last + 10);
    const after = (await cashier.get('/v1/categories?limit=200')).json().data as { name: string }[];
    expect(after.at(-1)?.name).toBe('Last one');
  });

  it('refuses a name taken in any case (409 name_taken), blank names and unknown fields', async () => {
    await owner.post('/v1/categories', { name: 'Frozen' });
    expectProblem(await owner.post('/v1/categories', { name: ' FROZEN ' }), 409, 'name_taken');
    expectProblem(await owner.post('/v1/categories', { name: '  ' }), 400, 'validation_failed');
    expectProblem(await owner.post('/v1/categories', { name: 'X', colour: 1 }), 400, 'validation_failed');
    expectProblem(
      await owner.patch('/v1/categories/01890000-0000-7000-8000-000000000000', { name: 'Y' }),
      404,
      'category_not_found',
    );
  });

  it('lets every role read but only managers and above write', async () => {
    expectProblem(await cashier.post('/v1/categories', { name: 'By cashier' }), 403, 'forbidden');
    expect((await shop.as('manager').post('/v1/categories', { name: 'By manager' })).statusCode).toBe(201);
  });
});

describe('PUT /v1/categories/order', () => {
  // A shop of its own: the order must name every active category, so the categories above would get in the way.
  let store: Tenant;
  const boss = () => store.as('owner');
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    store = await shop.addTenant('Order Shop');
    // All at position 0, as the demo store's categories once were: the list shows them in creation order.
    for (const name of ['Bakery', 'Drinks', 'Dairy', 'Fruit', 'Old stock']) {
      const res = await boss().post('/v1/categories', { name, position: 0 });
      expect(res.statusCode, res.body).toBe(201);
      ids[name] = res.json().id;
    }
    expect((await boss().post(`/v1/categories/${ids['Old stock']}/archive`)).statusCode).toBe(200);
  });

  const order = (...names: string[]) => ({ ids: names.map((n) => ids[n]) });
  const reorder = (as: TenantActor, payload: object) => store.as(as).put('/v1/categories/order', payload);

  /** Everything a reorder could write: the tenant's categories as stored, and its audit events. */
  async function written(): Promise<unknown> {
    const { rows: categories } = await shop.db.query(
      `SELECT id, position, updated_at, catalog_changed_at FROM categories WHERE tenant_id = $1 ORDER BY id`,
      [store.tenantId],
    );
    const { rows: audit } = await shop.db.query('SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1', [
      store.tenantId,
    ]);
    return { categories, audit };
  }

  async function activeNames(): Promise<{ name: string; position: number }[]> {
    const { data } = (await boss().get('/v1/categories?limit=200')).json<{
      data: { name: string; position: number }[];
    }>();
    return data.map((c) => ({ name: c.name, position: c.position }));
  }

  /** The till's feed from `cursor` to the end: the categories it sends. */
  async function feedCategories(
    cursor?: string,
  ): Promise<{ categories: { id: string; position: number }[]; cursor: string }> {
    const categories: { id: string; position: number }[] = [];
    let next = cursor;
    for (;;) {
      const res = await boss().get(`/v1/catalog/changes${next === undefined ? '' : `?cursor=${next}`}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json();
      categories.push(...page.categories);
      next = page.next_cursor;
      if (!page.has_more) return { categories, cursor: next as string };
    }
  }

  it('numbers the active categories 10, 20, 30… in one go, audits each move and feeds the changes to the till', async () => {
    const { cursor } = await feedCategories();
    const res = await reorder('owner', order('Fruit', 'Bakery', 'Drinks', 'Dairy'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.map((c: { name: string; position: number }) => [c.name, c.position])).toEqual([
      ['Fruit', 10],
      ['Bakery', 20],
      ['Drinks', 30],
      ['Dairy', 40],
    ]);
    expect(await activeNames()).toEqual([
      { name: 'Fruit', position: 10 },
      { name: 'Bakery', position: 20 },
      { name: 'Drinks', position: 30 },
      { name: 'Dairy', position: 40 },
    ]);
    expect(await shop.audit({ entityId: ids['Fruit']!, last: 1 })).toMatchAudit([
      { action: 'category.updated', data: { before: { position: 0 }, after: { position: 10 } } },
    ]);
    const fed = await feedCategories(cursor);
    expect(new Map(fed.categories.map((c) => [c.id, c.position]))).toEqual(
      new Map([
        [ids['Fruit'], 10],
        [ids['Bakery'], 20],
        [ids['Drinks'], 30],
        [ids['Dairy'], 40],
      ]),
    );

    // One move later (Dairy up one place): only the two categories whose positions change are written.
    const auditBefore = (await shop.audit({ entityId: ids['Fruit']! })).length;
    const swap = await reorder('owner', order('Fruit', 'Bakery', 'Dairy', 'Drinks'));
    expect(swap.statusCode, swap.body).toBe(200);
    expect((await shop.audit({ entityId: ids['Fruit']! })).length).toBe(auditBefore);
    expect((await shop.audit({ entityId: ids['Dairy']!, last: 1 }))[0]?.data).toEqual({
      before: { position: 40 },
      after: { position: 30 },
    });
    const again = await feedCategories(fed.cursor);
    expect(again.categories.map((c) => c.id).sort()).toEqual([ids['Dairy'], ids['Drinks']].sort());

    // The same order again writes nothing.
    const unchanged = await written();
    expect((await reorder('owner', order('Fruit', 'Bakery', 'Dairy', 'Drinks'))).statusCode).toBe(200);
    expect(await written()).toEqual(unchanged);
  });

  it('refuses a list that is not exactly the active categories, each once, and writes nothing', async () => {
    const before = await written();
    const unknownId = '01890000-0000-7000-8000-000000000000';
    const stranger = (await owner.post('/v1/categories', { name: 'Not yours', position: 0 })).json().id as string;

    const duplicated = await reorder('owner', {
      ids: [ids['Fruit'], ids['Bakery'], ids['Dairy'], ids['Drinks'], ids['Fruit']],
    });
    expectProblem(duplicated, 400, 'validation_failed');
    expect(duplicated.json().errors).toEqual([{ field: 'ids[4]', message: 'repeats ids[0]' }]);

    const unknown = await reorder('owner', {
      ids: [ids['Fruit'], unknownId, ids['Bakery'], ids['Dairy'], ids['Drinks']],
    });
    expectProblem(unknown, 404, 'category_not_found');
    expect(unknown.json().errors).toEqual([{ field: 'ids[1]', message: 'is not a category of this tenant' }]);

    // Another tenant's category is unknown here (row-level security): the same 404, nothing said about it.
    const foreign = await reorder('owner', {
      ids: [stranger, ids['Fruit'], ids['Bakery'], ids['Dairy'], ids['Drinks']],
    });
    expectProblem(foreign, 404, 'category_not_found');
    expect(foreign.json().errors).toEqual([{ field: 'ids[0]', message: 'is not a category of this tenant' }]);

    const archived = await reorder('owner', order('Fruit', 'Bakery', 'Dairy', 'Drinks', 'Old stock'));
    expectProblem(archived, 409, 'category_order_mismatch');
    expect(archived.json().errors).toEqual([{ field: 'ids[4]', message: 'is an archived category' }]);

    const incomplete = await reorder('owner', order('Drinks', 'Dairy', 'Fruit'));
    expectProblem(incomplete, 409, 'category_order_mismatch');
    expect(incomplete.json()).toMatchObject({
      errors: [{ field: 'ids', message: 'misses 1 active categories' }],
      missing: [ids['Bakery']],
    });

    expectProblem(await reorder('owner', { ids: ['not-a-uuid'] }), 400, 'validation_failed');
    expectProblem(await reorder('owner', { ids: [], colour: 1 }), 400, 'validation_failed');
    expectProblem(await reorder('owner', {}), 400, 'validation_failed');

    expect(await written()).toEqual(before);
    // The other tenant's category is untouched too.
    expect((await owner.get('/v1/categories?limit=200')).json().data).toContainEqual(
      expect.objectContaining({ id: stranger, position: 0 }),
    );
  });

  it('is refused to a cashier (403) and allowed to a manager, as editing a category is', async () => {
    await store.token('cashier'); // signing in is audited: before the snapshot
    const before = await written();
    expectProblem(await reorder('cashier', order('Drinks', 'Dairy', 'Bakery', 'Fruit')), 403, 'forbidden');
    expect(await written()).toEqual(before);
    expect((await reorder('manager', order('Drinks', 'Dairy', 'Bakery', 'Fruit'))).statusCode).toBe(200);
    expect((await activeNames()).map((c) => c.name)).toEqual(['Drinks', 'Dairy', 'Bakery', 'Fruit']);
  });
});

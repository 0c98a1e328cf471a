import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, PASSWORD, useShop, type Client, type Tenant } from '../../../test/harness.ts';
import { until } from '../../../test/timing.ts';
import { systemContext, type RequestContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { encodeCursor } from '../../platform/http/pagination.ts';
import { newId } from '../../platform/ids.ts';
import { hashPassword } from '../auth/index.ts';
import { recordAudit, type AuditEntry } from './index.ts';

const shop = useShop({ name: 'Shop A' });
const owner = shop.as('owner');
let other: Tenant;
/** Ids of the events this file records in `shop`, in the order they were written. */
const ids: string[] = [];

function record(ctx: RequestContext, entry: AuditEntry): Promise<string> {
  return tenantTx(shop.deps.db, ctx, (tx) => recordAudit(tx, ctx, entry));
}

/** Waits until the database clock has left the millisecond event `id` was stamped in. */
async function nextMillisecond(id: string): Promise<void> {
  await until('the clock to leave the last event’s millisecond', async () => {
    const { rows } = await shop.db.query<{ passed: boolean }>(
      `SELECT clock_timestamp() >= date_trunc('milliseconds', occurred_at) + interval '1 millisecond' AS passed
         FROM audit_events WHERE id = $1`,
      [id],
    );
    return rows[0]!.passed;
  });
}

function get(url: string, as: Client = owner) {
  return as.get(url);
}

/** The fields of a listed event the assertions look at. */
interface EventItem {
  id: string;
  chain_key: string;
  occurred_at: string;
  action: string;
}

/** Every page of a listing, following next_cursor. */
async function walk(query: string, as: Client = owner): Promise<{ items: EventItem[]; pages: number }> {
  const items: EventItem[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const sep = query === '' ? '' : '&';
    const res = await get(`/v1/audit/events?${query}${cursor === null ? '' : `${sep}cursor=${cursor}`}`, as);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ data: EventItem[]; next_cursor: string | null }>();
    items.push(...body.data);
    cursor = body.next_cursor;
    pages++;
  } while (cursor !== null && pages < 100);
  return { items, pages };
}

beforeAll(async () => {
  other = await shop.addTenant('Shop B', []);
  const till: RequestContext = {
    ...systemContext(shop.tenantId),
    actorType: 'user',
    actorId: shop.userIds.cashier,
    registerId: shop.registerId,
  };
  const backOffice: RequestContext = {
    ...systemContext(shop.tenantId),
    actorType: 'user',
    actorId: shop.userIds.manager,
  };
  const entries: [RequestContext, AuditEntry][] = [
    [till, { action: 'sale.completed', entityType: 'order', entityId: 'o-1', data: { total_cents: 521 } }],
    [till, { action: 'sale.voided', entityType: 'order', entityId: 'o-1', data: { reason: 'customer left' } }],
    [backOffice, { action: 'saleable.changed', entityType: 'product', entityId: 'p-1' }],
    [
      backOffice,
      { action: 'price.changed', entityType: 'product', entityId: 'p-1', data: { before: 199, after: 249 } },
    ],
    [till, { action: 'sale.completed', entityType: 'order', entityId: 'o-2', data: { total_cents: 100 } }],
  ];
  for (const [ctx, entry] of entries) {
    const id = await record(ctx, entry);
    ids.push(id);
    await nextMillisecond(id); // distinct milliseconds, so time ranges have exact edges
  }
  await record(systemContext(other.tenantId), { action: 'sale.completed', entityType: 'order', entityId: 'o-1' });
});

describe('GET /v1/audit/events', () => {
  it('lists the tenant events newest first with every field', async () => {
    const res = await get('/v1/audit/events?entity_type=product');
    expect(res.statusCode).toBe(200);
    const { data, next_cursor } = res.json();
    expect(next_cursor).toBeNull();
    expect(data.map((e: { id: string }) => e.id)).toEqual([ids[3], ids[2]]);
    expect(data[0]).toEqual({
      id: ids[3],
      chain_key: `tenant:${shop.tenantId}`,
      seq: expect.any(Number),
      occurred_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      actor_type: 'user',
      actor_id: shop.userIds.manager,
      action: 'price.changed',
      entity_type: 'product',
      entity_id: 'p-1',
      request_id: null,
      data: { before: 199, after: 249 },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      prev_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('filters by actor, exact action, action prefix and entity', async () => {
    const idsOf = async (query: string) => (await walk(query)).items.map((e) => e.id);
    expect(await idsOf(`actor_id=${shop.userIds.cashier}`)).toEqual([ids[4], ids[1], ids[0]]);
    expect(await idsOf('action=sale.voided')).toEqual([ids[1]]);
    // `sale.*` is the prefix `sale.`: it must not catch `saleable.changed`.
    expect(await idsOf('action=sale.*')).toEqual([ids[4], ids[1], ids[0]]);
    expect(await idsOf('entity_type=order&entity_id=o-1')).toEqual([ids[1], ids[0]]);
    expect(await idsOf(`actor_id=${newId()}`)).toEqual([]);
  });

  it('filters by a half-open time range [from, to)', async () => {
    const times = new Map(
      (await shop.audit({ tenantId: shop.tenantId })).map((e) => [e.id, e.occurred_at.toISOString()]),
    );
    const from = encodeURIComponent(times.get(ids[1]!)!);
    const to = encodeURIComponent(times.get(ids[3]!)!);
    const { items } = await walk(`from=${from}&to=${to}`);
    expect(items.map((e) => e.id)).toEqual([ids[2], ids[1]]);
  });

  it('walks every page with limit 2, without duplicates, newest first', async () => {
    const { items, pages } = await walk('limit=2');
    const total = (await shop.audit({ tenantId: shop.tenantId })).length;
    expect(items).toHaveLength(total);
    expect(new Set(items.map((e) => e.id)).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 2));
    const keys = items.map((e) => `${e.occurred_at}|${e.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
    // Filters hold across pages too.
    const filtered = await walk('limit=2&action=sale.*');
    expect(filtered.items.map((e) => e.id)).toEqual([ids[4], ids[1], ids[0]]);
    expect(filtered.pages).toBe(2);
  });

  it('never shows another tenant’s events', async () => {
    const otherIds = (await shop.audit({ tenantId: other.tenantId })).map((e) => e.id);
    expect(otherIds.length).toBeGreaterThan(0);
    const { items } = await walk('limit=200');
    expect(items.filter((e) => otherIds.includes(e.id))).toEqual([]);
    for (const e of items) expect([`tenant:${shop.tenantId}`, `register:${shop.registerId}`]).toContain(e.chain_key);
  });

  it('answers a cursor it did not issue with 400 invalid_cursor', async () => {
    expectProblem(await get('/v1/audit/events?cursor=not-a-cursor'), 400, 'invalid_cursor');
    const forged = encodeCursor({ occurred_at: 'yesterday', id: newId() });
    expectProblem(await get(`/v1/audit/events?cursor=${forged}`), 400, 'invalid_cursor');
    const badId = encodeCursor({ occurred_at: new Date().toISOString(), id: 'x' });
    expectProblem(await get(`/v1/audit/events?cursor=${badId}`), 400, 'invalid_cursor');
  });

  it('answers malformed filters with 400 validation_failed', async () => {
    for (const query of [
      'from=yesterday',
      'to=2024-13-01T00:00:00Z',
      'actor_id=not-a-uuid',
      'action=*',
      'action=sale.*.x',
      'limit=0',
      'limit=201',
      'colour=blue',
      `from=${encodeURIComponent('2025-02-01T00:00:00Z')}&to=${encodeURIComponent('2025-01-01T00:00:00Z')}`,
    ]) {
      const res = await get(`/v1/audit/events?${query}`);
      expectProblem(res, 400, 'validation_failed');
    }
  });

  it('is for managers and above: a cashier gets 403, no token 401', async () => {
    expect((await get('/v1/audit/events', shop.as('manager'))).statusCode).toBe(200);
    expectProblem(await get('/v1/audit/events', shop.as('cashier')), 403, 'forbidden');
    expectProblem(await get('/v1/audit/events', shop.anon), 401, 'unauthorized');
  });
});

describe('GET /v1/audit/verify access', () => {
  it('is for owners and admins: a manager gets 403, no token 401', async () => {
    const res = await get('/v1/audit/verify', shop.as('admin'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, chains: 2 });
    expectProblem(await get('/v1/audit/verify', shop.as('manager')), 403, 'forbidden');
    expectProblem(await get('/v1/audit/verify', shop.anon), 401, 'unauthorized');
  });
});

describe('a superadmin', () => {
  it('sees and verifies the platform chain only', async () => {
    const email = `ops.${newId()}@example.com`;
    const operatorId = newId();
    const passwordHash = await hashPassword(PASSWORD);
    await shop.db.query('INSERT INTO platform_users (id, email, display_name, password_hash) VALUES ($1, $2, $3, $4)', [
      operatorId,
      email,
      'Olga Operator',
      passwordHash,
    ]);
    const { access_token } = await shop.login(email); // writes auth.login_succeeded to the platform chain
    const operator = shop.withToken(access_token);
    const { items } = await walk('limit=200', operator);
    expect(items.length).toBeGreaterThan(0);
    for (const e of items) expect(e.chain_key).toBe('platform');
    expect(items[0]).toMatchObject({
      action: 'auth.login_succeeded',
      actor_id: operatorId,
      actor_type: 'platform_user',
    });
    const verify = await get('/v1/audit/verify', operator);
    expect(verify.json()).toEqual({ ok: true, checked: items.length, chains: 1 });
  });
});

import { ALL_ROLES } from '@novapos/domain';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../app.ts';
import { ephemeralSecrets } from '../../platform/secrets.ts';
import { createRuntime } from '../../runtime.ts';
import {
  bearer,
  createTestApp,
  createTestTenant,
  expectProblem,
  login,
  type TestApp,
  type TestTenant,
} from '../../../test/harness.ts';
import { createSuperadmin } from './index.ts';

const OPERATOR = { email: 'maintenance.op@example.com', password: 'operator passphrase 1' };
let t: TestApp;
let app: App;
let shop: TestTenant;
let operatorId: string;
let superToken: string;
let ownerToken: string;
let writes = 0;

beforeAll(async () => {
  t = await createTestApp();
  // The app under test plus one ordinary write route, so the guard is tested whatever routes modules add.
  app = await buildApp(t.deps);
  app.post('/v1/test-only/writes', { config: { access: ALL_ROLES } }, async () => ({ count: ++writes }));
  await app.ready();
  shop = await createTestTenant(t);
  operatorId = (await createSuperadmin(t.deps.db, OPERATOR)).id;
  superToken = (await login(t, OPERATOR.email, OPERATOR.password)).access_token;
  ownerToken = (await login(t, shop.emails.owner)).access_token;
});
afterAll(async () => {
  await app.close();
  await t.close();
});

function put(token: string | undefined, payload: unknown) {
  return app.inject({
    method: 'PUT',
    url: '/v1/platform/maintenance',
    payload: payload as Record<string, unknown>,
    headers: token === undefined ? {} : bearer(token),
  });
}
const createLocation = () =>
  app.inject({ method: 'POST', url: '/v1/locations', headers: bearer(ownerToken), payload: { name: 'Harbour' } });
const write = () => app.inject({ method: 'POST', url: '/v1/test-only/writes', headers: bearer(ownerToken) });
const status = async (): Promise<unknown> => (await app.inject({ method: 'GET', url: '/v1/status' })).json();

async function platformAudit(): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: t.database.ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, unknown>>(
      `SELECT tenant_id, chain_key, seq, actor_type, actor_id, action, entity_type, entity_id, data, prev_hash, hash
         FROM audit_events WHERE action LIKE 'platform.maintenance%' ORDER BY seq`,
    );
    return rows;
  } finally {
    await client.end();
  }
}

describe('maintenance mode', () => {
  it('is off at first: writes go through and /v1/status says so', async () => {
    expect((await write()).statusCode).toBe(200);
    expect(await status()).toEqual({ maintenance: { enabled: false, message: null } });
    const res = await app.inject({ method: 'GET', url: '/v1/platform/maintenance', headers: bearer(superToken) });
    expect(res.json()).toEqual({ enabled: false, message: null, since: null });
  });

  it('may be read and switched by a superadmin only', async () => {
    expectProblem(await put(ownerToken, { enabled: true }), 403, 'forbidden');
    expectProblem(await put(undefined, { enabled: true }), 401, 'unauthorized');
    const read = await app.inject({ method: 'GET', url: '/v1/platform/maintenance', headers: bearer(ownerToken) });
    expectProblem(read, 403, 'forbidden');
    expect((await write()).statusCode).toBe(200);
  });

  it('refuses a bad body with 400 validation_failed and changes nothing', async () => {
    for (const [payload, field] of [
      [{}, 'enabled'],
      [{ enabled: 'yes please' }, 'enabled'],
      [{ enabled: true, message: 'x'.repeat(501) }, 'message'],
      [{ enabled: true, message: '' }, 'message'],
      [{ enabled: true, reason: 'extra' }, 'reason'],
    ] as const) {
      const res = await put(superToken, payload);
      expectProblem(res, 400, 'validation_failed');
      expect(res.json().errors[0].field, JSON.stringify(payload)).toBe(field);
    }
    expect(await status()).toEqual({ maintenance: { enabled: false, message: null } });
    expect(await platformAudit()).toEqual([]);
  });

  let since: string;
  it('once switched on, refuses writes with 503 maintenance and Retry-After, and lets reads and sign-in through', async () => {
    const before = writes;
    const on = await put(superToken, { enabled: true, message: 'Upgrading the database until 02:00 UTC' });
    expect(on.statusCode).toBe(200);
    since = on.json().since;
    expect(on.json()).toEqual({ enabled: true, message: 'Upgrading the database until 02:00 UTC', since });
    expect(Date.now() - Date.parse(since)).toBeLessThan(60_000);

    const refused = await write();
    expectProblem(refused, 503, 'maintenance');
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.json().detail).toBe('Upgrading the database until 02:00 UTC');
    expect(writes).toBe(before);
    expectProblem(await createLocation(), 503, 'maintenance');

    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(ownerToken) })).statusCode).toBe(200);
    const again = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: shop.emails.owner, password: 'correct horse battery' },
    });
    expect(again.statusCode).toBe(200);
    expect(await status()).toEqual({
      maintenance: { enabled: true, message: 'Upgrading the database until 02:00 UTC' },
    });
    const read = await app.inject({ method: 'GET', url: '/v1/platform/maintenance', headers: bearer(superToken) });
    expect(read.json()).toEqual({ enabled: true, message: 'Upgrading the database until 02:00 UTC', since });
  });

  it('keeps `since` when the message changes, and a tenant owner still cannot switch it', async () => {
    const changed = await put(superToken, { enabled: true, message: 'Almost done' });
    expect(changed.json()).toEqual({ enabled: true, message: 'Almost done', since });
    expectProblem(await put(ownerToken, { enabled: false }), 403, 'forbidden');
    expectProblem(await write(), 503, 'maintenance');
  });

  it('reaches another server at its next refresh', async () => {
    const other = createRuntime(t.config, t.database.db, ephemeralSecrets(), { logger: pino({ level: 'silent' }) });
    try {
      expect(other.deps.maintenance.current.enabled).toBe(false);
      await other.deps.maintenance.refresh();
      expect(other.deps.maintenance.current).toEqual({ enabled: true, message: 'Almost done', since });
    } finally {
      await other.close();
    }
  });

  it('once switched off, lets writes through again', async () => {
    const off = await put(superToken, { enabled: false, message: 'ignored when off' });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toEqual({ enabled: false, message: null, since: null });
    expect((await write()).statusCode).toBe(200);
    expect((await createLocation()).statusCode).toBe(201);
    expect(await status()).toEqual({ maintenance: { enabled: false, message: null } });
  });

  it('audits every switch in the platform chain, hash-linked, naming the operator', async () => {
    const rows = await platformAudit();
    expect(rows.map((r) => r.action)).toEqual([
      'platform.maintenance_enabled',
      'platform.maintenance_enabled',
      'platform.maintenance_disabled',
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({
        tenant_id: null,
        chain_key: 'platform',
        actor_type: 'platform_user',
        actor_id: operatorId,
        entity_type: 'platform_setting',
        entity_id: 'maintenance',
      });
    }
    expect(rows[0]!.data).toEqual({
      before: { enabled: false, message: null, since: null },
      after: { enabled: true, message: 'Upgrading the database until 02:00 UTC', since },
    });
    expect(rows[2]!.data).toEqual({
      before: { enabled: true, message: 'Almost done', since },
      after: { enabled: false, message: null, since: null },
    });
    // One chain: each event follows the previous one.
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
      expect(Number(rows[i]!.seq)).toBe(Number(rows[i - 1]!.seq) + 1);
    }
  });
});

import { ALL_ROLES } from '@novapos/domain';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { ephemeralSecrets } from '../../platform/secrets.ts';
import { createRuntime } from '../../runtime.ts';
import { expectProblem, PASSWORD, useShop, type Client } from '../../../test/harness.ts';

let writes = 0;
const shop = useShop({
  // One ordinary write route besides the app's, so the guard is tested whatever routes modules add.
  routes: (app) => {
    app.post('/v1/test-only/writes', { config: { access: ALL_ROLES } }, async () => ({ count: ++writes }));
  },
});
const owner = shop.as('owner');
const operator = shop.as('superadmin');
let operatorId: string;

beforeAll(async () => {
  operatorId = (await shop.operator()).id;
  await shop.operatorToken();
});

function put(as: Client, payload: unknown) {
  return as.put('/v1/platform/maintenance', payload);
}
const createLocation = () => owner.post('/v1/locations', { name: 'Harbour' });
const write = () => owner.post('/v1/test-only/writes');
const status = async (): Promise<unknown> => (await shop.anon.get('/v1/status')).json();
const platformAudit = () => shop.audit({ tenantId: null, action: 'platform.maintenance*' });

describe('maintenance mode', () => {
  it('is off at first: writes go through and /v1/status says so', async () => {
    expect((await write()).statusCode).toBe(200);
    expect(await status()).toEqual({ maintenance: { enabled: false, message: null } });
    const res = await operator.get('/v1/platform/maintenance');
    expect(res.json()).toEqual({ enabled: false, message: null, since: null });
  });

  it('may be read and switched by a superadmin only', async () => {
    expectProblem(await put(owner, { enabled: true }), 403, 'forbidden');
    expectProblem(await put(shop.anon, { enabled: true }), 401, 'unauthorized');
    const read = await owner.get('/v1/platform/maintenance');
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
      const res = await put(operator, payload);
      expectProblem(res, 400, 'validation_failed');
      expect(res.json().errors[0].field, JSON.stringify(payload)).toBe(field);
    }
    expect(await status()).toEqual({ maintenance: { enabled: false, message: null } });
    expect(await shop.audit({ tenantId: null, action: 'platform.maintenance*' })).toMatchAudit([]);
  });

  let since: string;
  it('once switched on, refuses writes with 503 maintenance and Retry-After, and lets reads and sign-in through', async () => {
    const before = writes;
    const switching = Date.now();
    const on = await put(operator, { enabled: true, message: 'Upgrading the database until 02:00 UTC' });
    expect(on.statusCode).toBe(200);
    since = on.json().since;
    expect(on.json()).toEqual({ enabled: true, message: 'Upgrading the database until 02:00 UTC', since });
    // `since` is the moment of the switch: within this request (a second of leeway for the database's clock).
    expect(Date.parse(since)).toBeGreaterThanOrEqual(switching - 1000);
    expect(Date.parse(since)).toBeLessThanOrEqual(Date.now() + 1000);

    const refused = await write();
    expectProblem(refused, 503, 'maintenance');
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.json().detail).toBe('Upgrading the database until 02:00 UTC');
    expect(writes).toBe(before);
    expectProblem(await createLocation(), 503, 'maintenance');

    expect((await owner.get('/v1/me')).statusCode).toBe(200);
    const again = await shop.anon.post('/v1/auth/login', { email: shop.emails.owner, password: PASSWORD });
    expect(again.statusCode).toBe(200);
    expect(await status()).toEqual({
      maintenance: { enabled: true, message: 'Upgrading the database until 02:00 UTC' },
    });
    const read = await operator.get('/v1/platform/maintenance');
    expect(read.json()).toEqual({ enabled: true, message: 'Upgrading the database until 02:00 UTC', since });
  });

  it('keeps `since` when the message changes, and a tenant owner still cannot switch it', async () => {
    const changed = await put(operator, { enabled: true, message: 'Almost done' });
    expect(changed.json()).toEqual({ enabled: true, message: 'Almost done', since });
    expectProblem(await put(owner, { enabled: false }), 403, 'forbidden');
    expectProblem(await write(), 503, 'maintenance');
  });

  it('reaches another server at its next refresh', async () => {
    const other = createRuntime(shop.config, shop.t.database.db, ephemeralSecrets(), {
      logger: pino({ level: 'silent' }),
    });
    try {
      expect(other.deps.maintenance.current.enabled).toBe(false);
      await other.deps.maintenance.refresh();
      expect(other.deps.maintenance.current).toEqual({ enabled: true, message: 'Almost done', since });
    } finally {
      await other.close();
    }
  });

  it('once switched off, lets writes through again', async () => {
    const off = await put(operator, { enabled: false, message: 'ignored when off' });
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
      expect(rows[i]!.seq).toBe(rows[i - 1]!.seq + 1);
    }
  });
});

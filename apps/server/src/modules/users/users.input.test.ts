import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestTenant,
  expectProblem,
  login,
  type TestApp,
  type TestTenant,
} from '../../../test/harness.ts';

// A small body limit so the 413 case needs no megabyte.
let t: TestApp;
let shop: TestTenant;
let owner: string;

beforeAll(async () => {
  t = await createTestApp({ BODY_LIMIT_BYTES: '2048' });
  shop = await createTestTenant(t);
  owner = (await login(t, shop.emails.owner)).access_token;
});
afterAll(() => t.close());

/** Rows that any write of these routes would add to or change. */
async function footprint(): Promise<string> {
  const { rows } = await t.deps.db.system.query(
    `SELECT (SELECT count(*) FROM users WHERE tenant_id = $1) AS users,
            (SELECT max(updated_at) FROM users WHERE tenant_id = $1) AS users_changed,
            (SELECT count(*) FROM user_locations WHERE tenant_id = $1) AS scopes,
            (SELECT count(*) FROM audit_events WHERE tenant_id = $1 AND action LIKE 'user.%') AS audit`,
    [shop.tenantId],
  );
  return JSON.stringify(rows[0]);
}

let before: string;
beforeEach(async () => {
  before = await footprint();
});

const valid = { email: 'valid.user@example.com', display_name: 'Val Id', roles: ['cashier'] };

function create(payload: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/users',
    headers: { ...bearer(owner), ...headers },
    payload: payload as string,
  });
}

async function expectRefused(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
  field?: string,
): Promise<void> {
  expectProblem(res, status, code);
  if (field !== undefined) expect((res.json() as { errors: { field: string }[] }).errors[0]?.field).toBe(field);
  expect(await footprint()).toBe(before);
}

describe('bad input to /v1/users is refused with a problem, and nothing is written', () => {
  it('unknown field → 400 validation_failed naming it', async () => {
    await expectRefused(await create({ ...valid, is_boss: true }), 400, 'validation_failed', 'is_boss');
  });

  it('too-long display name → 400', async () => {
    await expectRefused(
      await create({ ...valid, display_name: 'x'.repeat(201) }),
      400,
      'validation_failed',
      'display_name',
    );
  });

  it('blank display name → 400', async () => {
    await expectRefused(await create({ ...valid, display_name: '   ' }), 400, 'validation_failed', 'display_name');
  });

  it('empty roles → 400', async () => {
    await expectRefused(await create({ ...valid, roles: [] }), 400, 'validation_failed', 'roles');
  });

  it('invalid role → 400', async () => {
    await expectRefused(await create({ ...valid, roles: ['superadmin'] }), 400, 'validation_failed');
  });

  it('repeated role → 400', async () => {
    await expectRefused(await create({ ...valid, roles: ['cashier', 'cashier'] }), 400, 'validation_failed', 'roles');
  });

  it('short password → 400', async () => {
    await expectRefused(await create({ ...valid, password: 'short' }), 400, 'validation_failed', 'password');
  });

  it('PIN that is not 4 to 8 digits → 400', async () => {
    await expectRefused(await create({ ...valid, pin: '12a4' }), 400, 'validation_failed', 'pin');
    await expectRefused(await create({ ...valid, pin: '123456789' }), 400, 'validation_failed', 'pin');
  });

  it('malformed e-mail → 400', async () => {
    await expectRefused(await create({ ...valid, email: 'not-an-email' }), 400, 'validation_failed', 'email');
  });

  it('malformed uuid in location_ids → 400', async () => {
    await expectRefused(await create({ ...valid, location_ids: ['nope'] }), 400, 'validation_failed');
  });

  it('non-JSON body → 400 malformed_json', async () => {
    await expectRefused(await create('{"email": ', { 'content-type': 'application/json' }), 400, 'malformed_json');
  });

  it('wrong content type → 415 unsupported_media_type', async () => {
    await expectRefused(await create('<user/>', { 'content-type': 'application/xml' }), 415, 'unsupported_media_type');
  });

  it('body over BODY_LIMIT_BYTES → 413 payload_too_large', async () => {
    await expectRefused(await create({ ...valid, display_name: 'x'.repeat(3000) }), 413, 'payload_too_large');
  });

  it('malformed uuid in the path → 400', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/v1/users/not-a-uuid',
      headers: bearer(owner),
      payload: { display_name: 'X' },
    });
    await expectRefused(res, 400, 'validation_failed', 'id');
    const get = await t.app.inject({ method: 'GET', url: '/v1/users/1234', headers: bearer(owner) });
    expectProblem(get, 400, 'validation_failed');
  });

  it('empty patch → 400', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/v1/users/${shop.userIds.cashier}`,
      headers: bearer(owner),
      payload: {},
    });
    await expectRefused(res, 400, 'validation_failed');
  });

  it('unknown field in a patch → 400', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/v1/users/${shop.userIds.cashier}`,
      headers: bearer(owner),
      payload: { email: 'new@example.com' },
    });
    await expectRefused(res, 400, 'validation_failed', 'email');
  });
});

describe('bad list parameters', () => {
  function list(query: string) {
    return t.app.inject({ method: 'GET', url: `/v1/users?${query}`, headers: bearer(owner) });
  }

  it('a cursor this API did not issue → 400 invalid_cursor', async () => {
    expectProblem(await list('cursor=garbage!'), 400, 'invalid_cursor');
    const notAnId = Buffer.from(JSON.stringify({ id: 'x' })).toString('base64url');
    expectProblem(await list(`cursor=${notAnId}`), 400, 'invalid_cursor');
  });

  it('limit 0 and 201 → 400', async () => {
    expectProblem(await list('limit=0'), 400, 'validation_failed');
    expectProblem(await list('limit=201'), 400, 'validation_failed');
    expect((await list('limit=200')).statusCode).toBe(200);
  });

  it('unknown filter and bad role filter → 400', async () => {
    expectProblem(await list('colour=blue'), 400, 'validation_failed');
    expectProblem(await list('role=boss'), 400, 'validation_failed');
  });
});

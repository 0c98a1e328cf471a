import { beforeEach, describe, expect, it } from 'vitest';
import { expectProblem, useShop } from '../../../test/harness.ts';

// A small body limit so the 413 case needs no megabyte.
const shop = useShop({ env: { BODY_LIMIT_BYTES: '2048' } });
const owner = shop.as('owner');

/** Rows that any write of these routes would add to or change. */
async function footprint(): Promise<string> {
  const { rows } = await shop.deps.db.system.query(
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
  return owner.post('/v1/users', payload, { headers });
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
    const res = await owner.patch('/v1/users/not-a-uuid', { display_name: 'X' });
    await expectRefused(res, 400, 'validation_failed', 'id');
    const get = await owner.get('/v1/users/1234');
    expectProblem(get, 400, 'validation_failed');
  });

  it('empty patch → 400', async () => {
    const res = await owner.patch(`/v1/users/${shop.userIds.cashier}`, {});
    await expectRefused(res, 400, 'validation_failed');
  });

  it('unknown field in a patch → 400', async () => {
    const res = await owner.patch(`/v1/users/${shop.userIds.cashier}`, { email: 'new@example.com' });
    await expectRefused(res, 400, 'validation_failed', 'email');
  });
});

describe('bad list parameters', () => {
  function list(query: string) {
    return owner.get(`/v1/users?${query}`);
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

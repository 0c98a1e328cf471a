import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
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
import { createTenant } from './index.ts';

const OPERATOR_PASSWORD = 'a long operator passphrase';
let t: TestApp;
let shop: TestTenant;
let owner: pg.Client;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestTenant(t);
  owner = new pg.Client({ connectionString: t.database.ownerUrl });
  await owner.connect();
});
afterAll(async () => {
  await owner.end();
  await t.close();
});

async function operatorCount(): Promise<number> {
  const { rows } = await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM platform_users');
  return rows[0]!.n;
}

/** Runs `fn` and returns the AppError it throws (failing the test when it throws nothing or something else). */
async function appErrorOf(fn: () => Promise<unknown>): Promise<AppError> {
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('createSuperadmin', () => {
  it('creates an operator who signs in without a tenant and gets the superadmin role', async () => {
    const created = await createSuperadmin(t.deps.db, {
      email: 'Ops.Lead@example.com',
      password: OPERATOR_PASSWORD,
      displayName: 'Olga Ops',
    });
    expect(created).toEqual({
      id: expect.any(String),
      email: 'Ops.Lead@example.com',
      display_name: 'Olga Ops',
      created_at: expect.any(String),
    });
    const tokens = await login(t, 'ops.lead@example.com', OPERATOR_PASSWORD);
    const me = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(tokens.access_token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      id: created.id,
      kind: 'platform_user',
      roles: ['superadmin'],
      tenant_id: null,
      display_name: 'Olga Ops',
    });
  });

  it('audits the creation in the platform chain, in the same transaction', async () => {
    const created = await createSuperadmin(t.deps.db, { email: 'second.op@example.com', password: OPERATOR_PASSWORD });
    expect(created.display_name).toBe('Platform operator');
    const { rows } = await owner.query(
      `SELECT tenant_id, chain_key, actor_type, action, entity_type, data FROM audit_events
        WHERE action = 'platform.superadmin_created' AND entity_id = $1`,
      [created.id],
    );
    expect(rows).toEqual([
      {
        tenant_id: null,
        chain_key: 'platform',
        actor_type: 'system',
        action: 'platform.superadmin_created',
        entity_type: 'platform_user',
        data: { email: 'second.op@example.com', display_name: 'Platform operator' },
      },
    ]);
    // Secrets never reach the audit log.
    expect(JSON.stringify(rows)).not.toContain(OPERATOR_PASSWORD);
  });

  it('refuses an e-mail an operator already has, whatever its case, and writes nothing', async () => {
    const before = await operatorCount();
    const err = await appErrorOf(() =>
      createSuperadmin(t.deps.db, { email: 'OPS.LEAD@EXAMPLE.COM', password: OPERATOR_PASSWORD }),
    );
    expect(err.code).toBe('email_taken');
    expect(await operatorCount()).toBe(before);
  });

  it('lets exactly one of two concurrent creations with one e-mail win', async () => {
    const results = await Promise.allSettled([
      createSuperadmin(t.deps.db, { email: 'race@example.com', password: OPERATOR_PASSWORD }),
      createSuperadmin(t.deps.db, { email: 'Race@example.com', password: OPERATOR_PASSWORD }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect((rejected?.reason as AppError).code).toBe('email_taken');
  });

  it("refuses a tenant user's e-mail (sign-in could not tell the two accounts apart)", async () => {
    const before = await operatorCount();
    const err = await appErrorOf(() =>
      createSuperadmin(t.deps.db, { email: shop.emails.manager, password: OPERATOR_PASSWORD }),
    );
    expect(err.code).toBe('email_taken');
    expect(await operatorCount()).toBe(before);
    // The tenant user still signs in as before.
    await login(t, shop.emails.manager);
  });

  it('refuses a password shorter than 12 characters and a malformed e-mail with validation_failed', async () => {
    const before = await operatorCount();
    const short = await appErrorOf(() =>
      createSuperadmin(t.deps.db, { email: 'short.pw@example.com', password: '11 chars ok' }),
    );
    expect(short.code).toBe('validation_failed');
    expect(short.errors).toEqual([{ field: 'password', message: 'must be at least 12 characters' }]);
    const email = await appErrorOf(() =>
      createSuperadmin(t.deps.db, { email: 'not an e-mail', password: OPERATOR_PASSWORD }),
    );
    expect(email.code).toBe('validation_failed');
    expect(email.errors?.[0]?.field).toBe('email');
    const longName = await appErrorOf(() =>
      createSuperadmin(t.deps.db, {
        email: 'long.name@example.com',
        password: OPERATOR_PASSWORD,
        displayName: 'x'.repeat(201),
      }),
    );
    expect(longName.errors?.[0]?.field).toBe('display_name');
    expect(await operatorCount()).toBe(before);
  });

  it('lets an operator with a wrong password fail like anyone else', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'ops.lead@example.com', password: 'not the passphrase' },
    });
    expectProblem(res, 401, 'invalid_credentials');
  });
});

describe('an operator e-mail stays the operator’s', () => {
  it('refuses a tenant user or a new tenant owner with an operator’s e-mail (sign-in could not tell them apart)', async () => {
    await createSuperadmin(t.deps.db, { email: 'night-ops@example.com', password: 'operator-password-1' });
    const ownerToken = (await login(t, shop.emails.owner)).access_token;
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: bearer(ownerToken),
      payload: {
        email: 'Night-Ops@example.com',
        display_name: 'Copycat',
        roles: ['cashier'],
        password: 'long enough 1',
      },
    });
    expectProblem(res, 409, 'email_taken');
    await expect(
      createTenant(t.deps.db, t.deps.secrets.pinPepper, {
        name: 'Copy Shop',
        currency: 'USD',
        ownerEmail: 'night-ops@example.com',
        ownerPassword: 'long enough 1',
      }),
    ).rejects.toMatchObject({ code: 'email_taken' });
    // The operator still signs in without a tenant id.
    await login(t, 'night-ops@example.com', 'operator-password-1');
  });
});

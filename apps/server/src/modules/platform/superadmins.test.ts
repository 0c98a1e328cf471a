import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { expectProblem, useShop } from '../../../test/harness.ts';
import { createSuperadmin } from './index.ts';
import { createTenant } from './index.ts';

const OPERATOR_PASSWORD = 'a long operator passphrase';
const shop = useShop({ roles: [] });

async function operatorCount(): Promise<number> {
  const { rows } = await shop.db.query<{ n: number }>('SELECT count(*)::int AS n FROM platform_users');
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
    const created = await createSuperadmin(shop.deps.db, {
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
    const tokens = await shop.login('ops.lead@example.com', OPERATOR_PASSWORD);
    const me = await shop.withToken(tokens.access_token).get('/v1/me');
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
    const created = await createSuperadmin(shop.deps.db, {
      email: 'second.op@example.com',
      password: OPERATOR_PASSWORD,
    });
    expect(created.display_name).toBe('Platform operator');
    const events = await shop.audit({ entityId: created.id, action: 'platform.superadmin_created' });
    expect(events).toMatchAudit([
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
    expect(JSON.stringify(events)).not.toContain(OPERATOR_PASSWORD);
  });

  it('refuses an e-mail an operator already has, whatever its case, and writes nothing', async () => {
    const before = await operatorCount();
    const err = await appErrorOf(() =>
      createSuperadmin(shop.deps.db, { email: 'OPS.LEAD@EXAMPLE.COM', password: OPERATOR_PASSWORD }),
    );
    expect(err.code).toBe('email_taken');
    expect(await operatorCount()).toBe(before);
  });

  it('lets exactly one of two concurrent creations with one e-mail win', async () => {
    const results = await Promise.allSettled([
      createSuperadmin(shop.deps.db, { email: 'race@example.com', password: OPERATOR_PASSWORD }),
      createSuperadmin(shop.deps.db, { email: 'Race@example.com', password: OPERATOR_PASSWORD }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect((rejected?.reason as AppError).code).toBe('email_taken');
  });

  it("refuses a tenant user's e-mail (sign-in could not tell the two accounts apart)", async () => {
    const before = await operatorCount();
    const err = await appErrorOf(() =>
      createSuperadmin(shop.deps.db, { email: shop.emails.manager, password: OPERATOR_PASSWORD }),
    );
    expect(err.code).toBe('email_taken');
    expect(await operatorCount()).toBe(before);
    // The tenant user still signs in as before.
    await shop.login(shop.emails.manager);
  });

  it('refuses a password shorter than 12 characters and a malformed e-mail with validation_failed', async () => {
    const before = await operatorCount();
    const short = await appErrorOf(() =>
      createSuperadmin(shop.deps.db, { email: 'short.pw@example.com', password: '11 chars ok' }),
    );
    expect(short.code).toBe('validation_failed');
    expect(short.errors).toEqual([{ field: 'password', message: 'must be at least 12 characters' }]);
    const email = await appErrorOf(() =>
      createSuperadmin(shop.deps.db, { email: 'not an e-mail', password: OPERATOR_PASSWORD }),
    );
    expect(email.code).toBe('validation_failed');
    expect(email.errors?.[0]?.field).toBe('email');
    const longName = await appErrorOf(() =>
      createSuperadmin(shop.deps.db, {
        email: 'long.name@example.com',
        password: OPERATOR_PASSWORD,
        displayName: 'x'.repeat(201),
      }),
    );
    expect(longName.errors?.[0]?.field).toBe('display_name');
    expect(await operatorCount()).toBe(before);
  });

  it('lets an operator with a wrong password fail like anyone else', async () => {
    const res = await shop.anon.post('/v1/auth/login', {
      email: 'ops.lead@example.com',
      password: 'not the passphrase',
    });
    expectProblem(res, 401, 'invalid_credentials');
  });
});

describe('an operator e-mail stays the operator’s', () => {
  it('refuses a tenant user or a new tenant owner with an operator’s e-mail (sign-in could not tell them apart)', async () => {
    await createSuperadmin(shop.deps.db, { email: 'night-ops@example.com', password: 'operator-password-1' });
    const res = await shop.as('owner').post('/v1/users', {
      email: 'Night-Ops@example.com',
      display_name: 'Copycat',
      roles: ['cashier'],
      password: 'long enough 1',
    });
    expectProblem(res, 409, 'email_taken');
    await expect(
      createTenant(shop.deps.db, shop.deps.secrets.pinPepper, {
        name: 'Copy Shop',
        currency: 'USD',
        ownerEmail: 'night-ops@example.com',
        ownerPassword: 'long enough 1',
      }),
    ).rejects.toMatchObject({ code: 'email_taken' });
    // The operator still signs in without a tenant id.
    await shop.login('night-ops@example.com', 'operator-password-1');
  });
});

import { pbkdf2Sync, randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { bodyOf, expectProblem, useShop, type Client, type Shop } from '../../../test/harness.ts';
import { systemContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { OFFLINE_PIN_ITERATIONS } from '../../platform/offline-pins.ts';

const shop = useShop({ roles: ['owner'] });
const owner = shop.as('owner');
const till = shop.as('till');

interface VerifierRow {
  user_id: string;
  pin_lookup: string;
  salt: Buffer;
  iterations: number;
  hash: Buffer;
  verified_at: Date;
}

/** The stored verifier of a user, read behind the app's back (the owner's pool). */
async function verifierOf(userId: string): Promise<VerifierRow | undefined> {
  const { rows } = await shop.db.query<VerifierRow>('SELECT * FROM user_offline_pins WHERE user_id = $1', [userId]);
  return rows[0];
}

/** Whether a stored verifier is PBKDF2-HMAC-SHA-256 of this PIN (what the till computes with WebCrypto). */
function verifies(v: VerifierRow | undefined, pin: string): boolean {
  if (v === undefined) return false;
  return pbkdf2Sync(Buffer.from(pin, 'utf8'), v.salt, v.iterations, 32, 'sha256').equals(v.hash);
}

/** A PIN sign-in at a register; returns a client with its token. */
async function pinSession(s: Shop | { registerId: string }, pin: string, registerId = s.registerId): Promise<Client> {
  const res = await shop.app.inject({
    method: 'POST',
    url: '/v1/auth/pin-login',
    payload: { register_id: registerId, pin },
  });
  return shop.withToken(bodyOf<{ access_token: string }>(res, 200).access_token);
}

let pinCounter = 0;
/** A PIN no other test user has (the harness's are 1xxx and 4xxx). */
function freshPin(): string {
  pinCounter += 1;
  return String(700_000 + pinCounter);
}

async function createUser(body: Record<string, unknown>): Promise<{ id: string }> {
  return bodyOf(
    await owner.post('/v1/users', {
      email: `u${randomUUID().slice(0, 8)}@example.com`,
      display_name: 'Olga Offline',
      roles: ['cashier'],
      ...body,
    }),
    201,
  );
}

async function listAt(client: Client, registerId = shop.registerId) {
  return client.get(`/v1/pos/offline-pins?register_id=${registerId}`);
}

describe('the offline verifier of a PIN', () => {
  test('is written when a user is created with a PIN, never from the PIN lookup', async () => {
    const pin = freshPin();
    const user = await createUser({ pin });
    const v = await verifierOf(user.id);
    expect(v?.iterations).toBe(OFFLINE_PIN_ITERATIONS);
    expect(v?.salt).toHaveLength(16);
    expect(verifies(v, pin)).toBe(true);
    expect(verifies(v, '0000')).toBe(false);
    expect(Date.now() - (v?.verified_at.getTime() ?? 0)).toBeLessThan(60_000);
    // Never in an answer or an audit event.
    const audit = JSON.stringify(await shop.audit({ entityId: user.id }));
    expect(audit).not.toContain(v?.hash.toString('base64'));
    expect(audit).not.toContain(pin);
  });

  test('is replaced with a new salt when the PIN changes, and removed with the PIN', async () => {
    const user = await createUser({ pin: freshPin() });
    const before = await verifierOf(user.id);
    const next = freshPin();
    bodyOf(await owner.patch(`/v1/users/${user.id}`, { pin: next }), 200);
    const after = await verifierOf(user.id);
    expect(verifies(after, next)).toBe(true);
    expect(after?.salt.equals(before?.salt ?? Buffer.alloc(0))).toBe(false);
    bodyOf(await owner.patch(`/v1/users/${user.id}`, { pin: null }), 200);
    expect(await verifierOf(user.id)).toBeUndefined();
  });

  test('is made at the first PIN sign-in of a PIN set before verifiers existed, then only re-dated', async () => {
    // The harness's staff are made by tenant creation, which writes no verifier: the cashier has none yet.
    const cashierId = shop.userIds.cashier;
    await shop.db.query('DELETE FROM user_offline_pins WHERE user_id = $1', [cashierId]);
    await pinSession(shop, shop.pins.cashier);
    const first = await verifierOf(cashierId);
    expect(verifies(first, shop.pins.cashier)).toBe(true);

    await shop.db.query(`UPDATE user_offline_pins SET verified_at = now() - interval '5 hours' WHERE user_id = $1`, [
      cashierId,
    ]);
    await pinSession(shop, shop.pins.cashier);
    const second = await verifierOf(cashierId);
    expect(Date.now() - (second?.verified_at.getTime() ?? 0)).toBeLessThan(60_000);
    // The same verifier, re-dated: no slow hash on every sign-in.
    expect(second?.salt.equals(first?.salt ?? Buffer.alloc(0))).toBe(true);
  });

  test('a wrong PIN writes nothing', async () => {
    const before = await shop.db.query('SELECT count(*)::int AS n FROM user_offline_pins');
    const res = await shop.anon.post('/v1/auth/pin-login', { register_id: shop.registerId, pin: '99999999' });
    expectProblem(res, 401, 'invalid_pin');
    const after = await shop.db.query('SELECT count(*)::int AS n FROM user_offline_pins');
    expect(after.rows[0]).toEqual(before.rows[0]);
  });
});

describe('GET /v1/pos/offline-pins', () => {
  test("lists the location's staff whose PIN was verified within the window, with no PIN and no lookup", async () => {
    await till.get('/v1/me'); // the cashier has signed in by PIN: verified now
    const res = await listAt(till);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toMatchObject({
      register_id: shop.registerId,
      location_id: shop.locationId,
      algorithm: 'PBKDF2-HMAC-SHA-256',
      grace_hours: 12,
    });
    expect(Math.abs(Date.parse(body.server_time) - Date.now())).toBeLessThan(60_000);
    const cashier = body.users.find((u: { user_id: string }) => u.user_id === shop.userIds.cashier);
    expect(cashier).toMatchObject({ display_name: 'Cass Cashier', roles: ['cashier'] });
    const stored = await verifierOf(shop.userIds.cashier);
    expect(cashier.salt).toBe(stored?.salt.toString('base64'));
    expect(cashier.hash).toBe(stored?.hash.toString('base64'));
    expect(res.body).not.toContain(stored?.pin_lookup);
    expect(res.body).not.toContain(shop.pins.cashier);
  });

  test('leaves out deactivated users, other locations, stale verifiers and changed PINs', async () => {
    const listed = async () => (await listAt(till)).json().users.map((u: { user_id: string }) => u.user_id) as string[];
    const here = await createUser({ pin: freshPin() });
    const gone = await createUser({ pin: freshPin() });
    const stale = await createUser({ pin: freshPin() });
    const changed = await createUser({ pin: freshPin() });
    const elsewhere = bodyOf<{ id: string }>(
      await owner.post('/v1/locations', { name: `Elsewhere ${randomUUID()}` }),
      201,
    );
    const away = await createUser({ pin: freshPin(), location_ids: [elsewhere.id] });
    const scopedHere = await createUser({ pin: freshPin(), location_ids: [shop.locationId, elsewhere.id] });
    expect(await listed()).toEqual(expect.arrayContaining([here.id, gone.id, stale.id, changed.id, scopedHere.id]));

    bodyOf(await owner.post(`/v1/users/${gone.id}/deactivate`), 200);
    await shop.db.query(`UPDATE user_offline_pins SET verified_at = now() - interval '13 hours' WHERE user_id = $1`, [
      stale.id,
    ]);
    // A PIN changed behind the verifier's back (as if the row had been left over): never served.
    await shop.db.query(`UPDATE users SET pin_lookup = 'other' WHERE id = $1`, [changed.id]);
    const now = await listed();
    expect(now).toContain(here.id);
    expect(now).toContain(scopedHere.id);
    for (const id of [gone.id, stale.id, changed.id, away.id]) expect(now).not.toContain(id);
  });

  test('another tenant never sees these users, and its till cannot read this register', async () => {
    const other = await shop.addTenant('Other Shop');
    const otherTill = other.as('till');
    const theirs = bodyOf(await listAt(otherTill, other.registerId), 200);
    const ids = theirs.users.map((u: { user_id: string }) => u.user_id);
    expect(ids).toContain(other.userIds.cashier);
    for (const id of Object.values(shop.userIds)) expect(ids).not.toContain(id);
    expectProblem(await listAt(otherTill, shop.registerId), 403, 'forbidden');
  });

  test("only this register's own till session reads it", async () => {
    expectProblem(await listAt(owner), 403, 'forbidden');
    expectProblem(await listAt(shop.as('manager')), 403, 'forbidden');
    expectProblem(await listAt(shop.anon), 401, 'unauthorized');
    const second = bodyOf<{ id: string }>(
      await owner.post('/v1/registers', { location_id: shop.locationId, name: `Till ${randomUUID()}` }),
      201,
    );
    const secondTill = await pinSession(shop, shop.pins.cashier, second.id);
    expect((await listAt(secondTill, second.id)).statusCode).toBe(200);
    expectProblem(await listAt(secondTill, shop.registerId), 403, 'forbidden');
    expectProblem(await listAt(till, second.id), 403, 'forbidden');
  });

  test('hostile query strings are 400', async () => {
    for (const q of ['register_id=x', 'register_id=%00', `register_id=${shop.registerId}&extra=1`, '']) {
      expectProblem(await till.get(`/v1/pos/offline-pins?${q}`), 400, 'validation_failed');
    }
  });
});

describe('the grace window setting', () => {
  test('defaults to 12 h, shows in the settings and the till context, and is audited when changed', async () => {
    expect(bodyOf(await owner.get('/v1/settings/tenant'), 200).offline_signin_grace_hours).toBe(12);
    const context = () => till.get(`/v1/pos/context?register_id=${shop.registerId}`);
    expect(bodyOf(await context(), 200).offline_signin_grace_hours).toBe(12);

    const changed = bodyOf(await owner.patch('/v1/settings/tenant', { offline_signin_grace_hours: 4 }), 200);
    expect(changed.offline_signin_grace_hours).toBe(4);
    expect(bodyOf(await context(), 200).offline_signin_grace_hours).toBe(4);
    expect(bodyOf(await listAt(till), 200).grace_hours).toBe(4);
    expect(await shop.audit({ action: 'tenant.settings_changed', last: 1 })).toMatchAudit([
      {
        action: 'tenant.settings_changed',
        data: { before: { offline_signin_grace_hours: 12 }, after: { offline_signin_grace_hours: 4 } },
      },
    ]);
    bodyOf(await owner.patch('/v1/settings/tenant', { offline_signin_grace_hours: 12 }), 200);
  });

  test('0 switches offline sign-in off: no verifier leaves the server', async () => {
    await till.get('/v1/me');
    bodyOf(await owner.patch('/v1/settings/tenant', { offline_signin_grace_hours: 0 }), 200);
    const off = bodyOf(await listAt(till), 200);
    expect(off).toMatchObject({ grace_hours: 0, users: [] });
    bodyOf(await owner.patch('/v1/settings/tenant', { offline_signin_grace_hours: 12 }), 200);
    expect(bodyOf(await listAt(till), 200).users.length).toBeGreaterThan(0);
  });

  test('out-of-range and mistyped values are 400; a cashier or manager cannot change it', async () => {
    for (const value of [-1, 169, 1.5, '12', null]) {
      const res = await owner.patch('/v1/settings/tenant', { offline_signin_grace_hours: value });
      expectProblem(res, 400, 'validation_failed');
    }
    expectProblem(
      await shop.as('manager').patch('/v1/settings/tenant', { offline_signin_grace_hours: 1 }),
      403,
      'forbidden',
    );
    expect(bodyOf(await owner.get('/v1/settings/tenant'), 200).offline_signin_grace_hours).toBe(12);
  });
});

describe('POST /v1/pos/offline-signins', () => {
  function report(overrides: Record<string, unknown> = {}) {
    return {
      id: randomUUID(),
      register_id: shop.registerId,
      user_id: shop.userIds.cashier,
      signed_in_at: new Date(Date.now() - 3_600_000).toISOString(),
      failed_attempts: 2,
      ...overrides,
    };
  }

  test('records and audits each offline sign-in once, on the register chain', async () => {
    const body = report();
    const res = await till.post('/v1/pos/offline-signins', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      id: body.id,
      user_id: shop.userIds.cashier,
      register_id: shop.registerId,
      signed_in_at: body.signed_in_at,
      failed_attempts: 2,
      reported_by: shop.userIds.cashier,
    });
    // Sent again (a lost answer): the first record, nothing audited twice.
    const again = await till.post('/v1/pos/offline-signins', body);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(res.json());
    const events = await shop.audit({ action: 'pos.offline_signin', entityId: shop.userIds.cashier });
    const mine = events.filter((e) => e.data.offline_signin_id === body.id);
    expect(mine).toMatchAudit([
      {
        action: 'pos.offline_signin',
        entity_type: 'user',
        actor_id: shop.userIds.cashier,
        chain_key: `register:${shop.registerId}`,
        data: {
          offline_signin_id: body.id,
          register_id: shop.registerId,
          signed_in_at: body.signed_in_at,
          failed_attempts: 2,
          reported_by: shop.userIds.cashier,
          user_active: true,
        },
      },
    ]);
    expect(bodyOf(await owner.get('/v1/audit/verify'), 200)).toMatchObject({ ok: true });
  });

  test('the same id with other content is 409 offline_signin_conflict', async () => {
    const body = report();
    bodyOf(await till.post('/v1/pos/offline-signins', body), 201);
    const res = await till.post('/v1/pos/offline-signins', { ...body, failed_attempts: 0 });
    expectProblem(res, 409, 'offline_signin_conflict');
  });

  test('another register, a back-office session or another tenant is refused', async () => {
    expectProblem(await owner.post('/v1/pos/offline-signins', report()), 403, 'forbidden');
    const other = await shop.addTenant('Other Shop 2');
    const otherTill = other.as('till');
    expectProblem(await otherTill.post('/v1/pos/offline-signins', report()), 403, 'forbidden');
    // Its own register, but our user: not a user it can see.
    const res = await otherTill.post('/v1/pos/offline-signins', report({ register_id: other.registerId }));
    expectProblem(res, 404, 'user_not_found');
  });

  test('hostile input is 400, nothing recorded', async () => {
    const before = (await shop.db.query('SELECT count(*)::int AS n FROM offline_signins')).rows[0];
    const bad: Record<string, unknown>[] = [
      report({ id: 'not-a-uuid' }),
      report({ id: `${randomUUID()}\u0000` }),
      report({ user_id: '\ud800' }),
      report({ signed_in_at: new Date(Date.now() + 3_600_000).toISOString() }),
      report({ signed_in_at: '2001-01-01T00:00:00Z' }),
      report({ signed_in_at: '2025-02-30T10:00:00Z' }),
      report({ signed_in_at: 'yesterday' }),
      report({ failed_attempts: -1 }),
      report({ failed_attempts: 1_000_001 }),
      report({ failed_attempts: '2' }),
      { ...report(), pin: shop.pins.cashier },
      (({ user_id: _drop, ...rest }) => rest)(report()),
    ];
    for (const body of bad) {
      const res = await till.post('/v1/pos/offline-signins', body);
      expectProblem(res, 400, 'validation_failed');
    }
    const after = (await shop.db.query('SELECT count(*)::int AS n FROM offline_signins')).rows[0];
    expect(after).toEqual(before);
  });
});

describe('row-level security', () => {
  test("a tenant's transactions see only its own verifiers and offline sign-ins", async () => {
    const other = await shop.addTenant('Other Shop 3');
    // Rows in both tenants: verifiers made by PIN sign-ins, and a report each.
    for (const t of [shop, other]) {
      const client = t === shop ? till : other.as('till');
      await client.get('/v1/me');
      const report = {
        id: randomUUID(),
        register_id: t.registerId,
        user_id: t.userIds.cashier,
        signed_in_at: new Date(Date.now() - 60_000).toISOString(),
        failed_attempts: 0,
      };
      bodyOf(await client.post('/v1/pos/offline-signins', report), 201);
    }
    for (const table of ['user_offline_pins', 'offline_signins']) {
      const all = await shop.db.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${table}`);
      expect(all.rows.map((r) => r.tenant_id)).toEqual(expect.arrayContaining([shop.tenantId, other.tenantId]));
      const seen = await tenantTx(shop.deps.db, systemContext(shop.tenantId), (tx) =>
        tx.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${table}`),
      );
      expect(seen.rows.map((r) => r.tenant_id)).toEqual([shop.tenantId]);
    }
  });
});

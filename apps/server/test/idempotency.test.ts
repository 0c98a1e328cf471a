import { createHash } from 'node:crypto';
import { canonicalJson } from '@novapos/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/platform/ids.ts';
import { expectProblem, useShop, type Client, type Tenant } from './harness.ts';

/** The shop: its app, and tenant A. */
const a = useShop({ name: 'Shop A' });
const ownerA = a.as('owner');
let b: Tenant;
let ownerB: Client;

beforeAll(async () => {
  b = await a.addTenant('Shop B');
  ownerB = b.as('owner');
});

function createLocation(as: Client, key: string, payload: unknown) {
  return as.post('/v1/locations', payload, { idempotencyKey: key });
}

async function locationsNamed(tenantId: string, name: string): Promise<number> {
  const { rows } = await a.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM locations WHERE tenant_id = $1 AND name = $2',
    [tenantId, name],
  );
  return rows[0]!.n;
}

/** The fingerprint the idempotency plugin computes for a request (see platform/http/idempotency.ts). */
function fingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${url}\n`).update(canonicalJson(body)).digest('hex');
}

describe('Idempotency-Key on POST /v1/locations', () => {
  it('replays the first response for the same key and body, creating one location', async () => {
    const key = newId();
    const body = { name: 'Replayed Store', code: 'RPL' };
    const first = await createLocation(ownerA, key, body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // Same body with its keys in another order: the same request.
    const second = await createLocation(ownerA, key, { code: 'RPL', name: 'Replayed Store' });
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await locationsNamed(a.tenantId, 'Replayed Store')).toBe(1);
  });

  it('refuses the same key with another body: 422 idempotency_key_reused', async () => {
    const key = newId();
    expect((await createLocation(ownerA, key, { name: 'Key Owner' })).statusCode).toBe(201);
    const res = await createLocation(ownerA, key, { name: 'Someone Else' });
    expectProblem(res, 422, 'idempotency_key_reused');
    expect(await locationsNamed(a.tenantId, 'Someone Else')).toBe(0);
  });

  it('refuses a key whose first request is still running: 409 idempotency_key_in_use', async () => {
    const key = newId();
    const body = { name: 'Still Running' };
    await a.db.query(
      `INSERT INTO idempotency_keys (tenant_id, key, method, path, fingerprint, status, expires_at, lease_until)
       VALUES ($1, $2, 'POST', '/v1/locations', $3, 'in_progress', now() + interval '1 hour',
               now() + interval '1 hour')`,
      [a.tenantId, key, fingerprint('POST', '/v1/locations', body)],
    );
    const res = await createLocation(ownerA, key, body);
    expectProblem(res, 409, 'idempotency_key_in_use');
    expect(res.headers['retry-after']).toBe('1');
    expect(await locationsNamed(a.tenantId, 'Still Running')).toBe(0);
  });

  it('keeps keys per tenant: B using A’s key runs its own request', async () => {
    const key = newId();
    const body = { name: 'Shared Key Store' };
    const inA = await createLocation(ownerA, key, body);
    const inB = await createLocation(ownerB, key, body);
    expect(inB.statusCode).toBe(201);
    expect(inB.headers['idempotent-replayed']).toBeUndefined();
    expect(inB.json().id).not.toBe(inA.json().id);
    expect(await locationsNamed(a.tenantId, 'Shared Key Store')).toBe(1);
    expect(await locationsNamed(b.tenantId, 'Shared Key Store')).toBe(1);
  });

  it('stores and replays a business failure (409 name_taken) rather than running again', async () => {
    const key = newId();
    const first = await createLocation(ownerA, key, { name: 'Main store' });
    expectProblem(first, 409, 'name_taken');
    // Free the name: a request that ran again would now succeed.
    await a.db.query(`UPDATE locations SET name = 'Renamed Main' WHERE id = $1`, [a.locationId]);
    try {
      const again = await createLocation(ownerA, key, { name: 'Main store' });
      // The replay is the same problem: status, body, content type and X-Error-Code.
      expectProblem(again, 409, 'name_taken');
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toBe(first.body);
      expect(await locationsNamed(a.tenantId, 'Main store')).toBe(0);
    } finally {
      await a.db.query(`UPDATE locations SET name = 'Main store' WHERE id = $1`, [a.locationId]);
    }
  });

  it('does not store a validation failure: the corrected request may use the same key', async () => {
    const key = newId();
    expectProblem(await createLocation(ownerA, key, { name: '' }), 400, 'validation_failed');
    const fixed = await createLocation(ownerA, key, { name: 'Fixed Store' });
    expect(fixed.statusCode).toBe(201);
  });

  it('lets a new request take over an expired key', async () => {
    const key = newId();
    expect((await createLocation(ownerA, key, { name: 'Yesterday' })).statusCode).toBe(201);
    await a.db.query(
      `UPDATE idempotency_keys SET expires_at = now() - interval '1 minute' WHERE tenant_id = $1 AND key = $2`,
      [a.tenantId, key],
    );
    const res = await createLocation(ownerA, key, { name: 'Today' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(await locationsNamed(a.tenantId, 'Today')).toBe(1);
  });

  it('refuses a malformed key with 400 invalid_header, writing nothing', async () => {
    for (const key of ['k'.repeat(300), 'has space']) {
      const res = await createLocation(ownerA, key, { name: 'Bad Key Store' });
      expectProblem(res, 400, 'invalid_header');
    }
    expect(await locationsNamed(a.tenantId, 'Bad Key Store')).toBe(0);
    const { rows } = await a.db.query('SELECT 1 FROM idempotency_keys WHERE key = $1', ['has space']);
    expect(rows).toHaveLength(0);
  });
});

describe('Idempotency-Key on the other create routes', () => {
  it('POST /v1/users and POST /v1/registers replay instead of creating twice', async () => {
    const userKey = newId();
    const user = { email: `idem.${newId()}@example.com`, display_name: 'Once', roles: ['cashier'] };
    const u1 = await ownerA.post('/v1/users', user, { idempotencyKey: userKey });
    const u2 = await ownerA.post('/v1/users', user, { idempotencyKey: userKey });
    expect([u1.statusCode, u2.statusCode]).toEqual([201, 201]);
    expect(u2.headers['idempotent-replayed']).toBe('true');
    expect(u2.json().id).toBe(u1.json().id);

    const regKey = newId();
    const register = { location_id: a.locationId, name: 'Once Till' };
    const r1 = await ownerA.post('/v1/registers', register, { idempotencyKey: regKey });
    const r2 = await ownerA.post('/v1/registers', register, { idempotencyKey: regKey });
    expect([r1.statusCode, r2.statusCode]).toEqual([201, 201]);
    expect(r2.json().id).toBe(r1.json().id);
    const { rows } = await a.db.query('SELECT 1 FROM registers WHERE name = $1', ['Once Till']);
    expect(rows).toHaveLength(1);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, useShop, type Tenant } from '../../../test/harness.ts';
import { TokenService } from '../../platform/tokens.ts';

const shop = useShop({ name: 'Shop A', roles: [] });
let other: Tenant;

beforeAll(async () => {
  other = await shop.addTenant('Shop B', []);
});

/** Claims the server would put in a token for the shop's owner. */
function ownerClaims() {
  return { tid: shop.tenantId, roles: ['owner'], loc: [], sid: shop.ownerId, kind: 'user' };
}

async function me(token: string) {
  return shop.withToken(token).get('/v1/me');
}

describe('access tokens', () => {
  it('publishes the Ed25519 public key at /.well-known/jwks.json, never the private part', async () => {
    const res = await shop.anon.get('/.well-known/jwks.json');
    expect(res.statusCode).toBe(200);
    const [key] = res.json().keys;
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(key.kid).toBeTypeOf('string');
    expect(key.d).toBeUndefined();
  });

  it('accepts a token the server signed', async () => {
    const { access_token } = await shop.login(shop.emails.owner);
    expect((await me(access_token)).statusCode).toBe(200);
  });

  it('refuses a request without a token with 401 unauthorized', async () => {
    expectProblem(await shop.anon.get('/v1/me'), 401, 'unauthorized');
  });

  it('refuses a token signed by another key (forged) with 401 invalid_token', async () => {
    const forger = new TokenService({
      privateKey: generateKeyPairSync('ed25519').privateKey,
      issuer: shop.config.jwt.issuer,
      audience: shop.config.jwt.audience,
      accessTtlSeconds: 900,
    });
    const forged = await forger.sign({
      sub: shop.ownerId,
      tid: shop.tenantId,
      roles: ['owner'],
      loc: [],
      reg: undefined,
      sid: shop.ownerId,
      kind: 'user',
    });
    expectProblem(await me(forged), 401, 'invalid_token');
  });

  it('refuses an expired token with 401 token_expired', async () => {
    const expired = await new SignJWT(ownerClaims())
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject(shop.ownerId)
      .setIssuer(shop.config.jwt.issuer)
      .setAudience(shop.config.jwt.audience)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(shop.deps.secrets.jwtPrivateKey);
    expectProblem(await me(expired), 401, 'token_expired');
  });

  it('refuses alg:none with 401 invalid_token', async () => {
    const unsigned = new UnsecuredJWT(ownerClaims())
      .setSubject(shop.ownerId)
      .setIssuer(shop.config.jwt.issuer)
      .setAudience(shop.config.jwt.audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .encode();
    expect(unsigned.split('.')[2]).toBe('');
    expectProblem(await me(unsigned), 401, 'invalid_token');
  });

  it('refuses a wrong audience and a wrong issuer with 401 invalid_token', async () => {
    for (const [issuer, audience] of [
      [shop.config.jwt.issuer, 'someone-else'],
      ['https://evil.example', shop.config.jwt.audience],
    ] as const) {
      const token = await new SignJWT(ownerClaims())
        .setProtectedHeader({ alg: 'EdDSA' })
        .setSubject(shop.ownerId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(shop.deps.secrets.jwtPrivateKey);
      expectProblem(await me(token), 401, 'invalid_token');
    }
  });

  it('refuses a token whose signature was tampered with (roles raised)', async () => {
    const { access_token } = await shop.login(shop.emails.cashier);
    const [header, payload, signature] = access_token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.roles = ['owner'];
    const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    expectProblem(await me(tampered), 401, 'invalid_token');
  });

  it('refuses garbage in the Authorization header', async () => {
    expectProblem(await shop.anon.get('/v1/me', { headers: { authorization: 'Basic abc' } }), 401, 'invalid_token');
    expectProblem(await me('not.a.jwt'), 401, 'invalid_token');
  });
});

describe('tenant and role headers', () => {
  it('accepts X-Tenant-ID equal to the token tenant', async () => {
    const { access_token } = await shop.login(shop.emails.owner);
    const res = await shop.withToken(access_token).get('/v1/me', { headers: { 'x-tenant-id': shop.tenantId } });
    expect(res.statusCode).toBe(200);
  });

  it('refuses X-Tenant-ID of another tenant with 403 tenant_mismatch', async () => {
    const { access_token } = await shop.login(shop.emails.owner);
    const res = await shop.withToken(access_token).get('/v1/me', { headers: { 'x-tenant-id': other.tenantId } });
    expectProblem(res, 403, 'tenant_mismatch');
  });

  it('never trusts a role header: X-Roles does not change what the token allows', async () => {
    const { access_token } = await shop.login(shop.emails.cashier);
    const res = await shop.withToken(access_token).get('/v1/me', { headers: { 'x-roles': 'owner,admin,superadmin' } });
    expect(res.json().roles).toEqual(['cashier']);
  });
});

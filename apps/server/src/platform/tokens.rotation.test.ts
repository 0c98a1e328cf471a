import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestTenant,
  expectProblem,
  type TestApp,
  type TestTenant,
} from '../../test/harness.ts';
import { ConfigError, loadConfig } from './config.ts';
import { TokenService } from './tokens.ts';

/** JWT key rotation: the previous key's tokens keep working (selected by kid) while JWT_PREVIOUS_PUBLIC_KEYS lists it. */
const previous = generateKeyPairSync('ed25519');
const previousPem = previous.publicKey.export({ type: 'spki', format: 'pem' }).toString();
let t: TestApp;
let shop: TestTenant;

function signer(privateKey = previous.privateKey): TokenService {
  return new TokenService({
    privateKey,
    issuer: t.config.jwt.issuer,
    audience: t.config.jwt.audience,
    accessTtlSeconds: 900,
  });
}

function ownerToken(service: TokenService): Promise<string> {
  return service.sign({
    sub: shop.ownerId,
    tid: shop.tenantId,
    roles: ['owner'],
    loc: [],
    reg: undefined,
    sid: shop.ownerId,
    kind: 'user',
  });
}

beforeAll(async () => {
  // Escaped newlines, as the variable is usually set in .env files and secrets.
  t = await createTestApp({ JWT_PREVIOUS_PUBLIC_KEYS: previousPem.replace(/\n/g, '\\n') });
  shop = await createTestTenant(t);
});
afterAll(() => t.close());

describe('JWT_PREVIOUS_PUBLIC_KEYS', () => {
  it('accepts tokens signed by the previous key and serves both keys in the JWKS', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(await ownerToken(signer())) });
    expect(res.statusCode, res.body).toBe(200);
    const jwks = (await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    expect(jwks.keys).toHaveLength(2);
    const kids = (jwks.keys as { kid: string }[]).map((k) => k.kid);
    expect(new Set(kids).size).toBe(2);
    // New tokens are signed by the current key: the first in the set.
    const current = await t.deps.tokens.sign({
      sub: shop.ownerId,
      tid: shop.tenantId,
      roles: ['owner'],
      loc: [],
      reg: undefined,
      sid: shop.ownerId,
      kind: 'user',
    });
    const header = JSON.parse(Buffer.from(current.split('.')[0] ?? '', 'base64url').toString()) as { kid: string };
    expect(header.kid).toBe(kids[0]);
  });

  it('still refuses a key that is not listed, and a listed kid on a token signed by another key', async () => {
    const stranger = signer(generateKeyPairSync('ed25519').privateKey);
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(await ownerToken(stranger)) }),
      401,
      'invalid_token',
    );
    // A forger copies the previous key's kid into the header: the signature still has to match that key.
    const forged = await ownerToken(stranger);
    const [, payload, signature] = forged.split('.');
    const previousKid = ((await t.deps.tokens.jwks()).keys[1] as { kid: string }).kid;
    const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid: previousKid })).toString('base64url');
    expectProblem(
      await t.app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: bearer(`${header}.${payload ?? ''}.${signature ?? ''}`),
      }),
      401,
      'invalid_token',
    );
  });

  it('stops accepting the previous key once it is removed from the list', async () => {
    const after = new TokenService({
      privateKey: generateKeyPairSync('ed25519').privateKey,
      issuer: 'novapos',
      audience: 'novapos-api',
      accessTtlSeconds: 900,
    });
    const old = new TokenService({
      privateKey: previous.privateKey,
      issuer: 'novapos',
      audience: 'novapos-api',
      accessTtlSeconds: 900,
    });
    const token = await old.sign({
      sub: shop.ownerId,
      tid: shop.tenantId,
      roles: ['owner'],
      loc: [],
      reg: undefined,
      sid: shop.ownerId,
      kind: 'user',
    });
    await expect(after.verify(token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('refuses a value that is not Ed25519 public keys, naming the variable', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
    for (const value of ['not a key', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', rsa.toString()]) {
      expect(() => loadConfig({ JWT_PREVIOUS_PUBLIC_KEYS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ JWT_PREVIOUS_PUBLIC_KEYS: value })).toThrow(/^JWT_PREVIOUS_PUBLIC_KEYS: /);
    }
    const two = `${previousPem}${generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()}`;
    expect(loadConfig({ JWT_PREVIOUS_PUBLIC_KEYS: two }).jwt.previousPublicKeyPems).toHaveLength(2);
  });
});

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenService, type AccessClaims } from './tokens.ts';

const service = (ttl = 60) =>
  new TokenService({
    privateKey: generateKeyPairSync('ed25519').privateKey,
    issuer: 'novapos-test',
    audience: 'novapos-api',
    accessTtlSeconds: ttl,
  });

const claims: AccessClaims = {
  sub: randomUUID(),
  tid: randomUUID(),
  roles: ['cashier'],
  loc: [],
  reg: undefined,
  sid: randomUUID(),
  kind: 'user',
};

describe('TokenService verification cache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers a verified token from the cache with the same claims', async () => {
    const tokens = service();
    const token = await tokens.sign(claims);
    const first = await tokens.verify(token);
    expect(first).toMatchObject({ sub: claims.sub, tid: claims.tid, roles: ['cashier'] });
    await expect(tokens.verify(token)).resolves.toBe(first);
  });

  it('still refuses a cached token once it has expired', async () => {
    const tokens = service(2);
    const token = await tokens.sign(claims);
    await tokens.verify(token);
    vi.useFakeTimers({ now: Date.now() + 3_000, toFake: ['Date'] });
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'token_expired' });
    // Gone from the cache, and verification proper refuses it too.
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'token_expired' });
  });

  it('never lets a tampered copy of a cached token through', async () => {
    const tokens = service();
    const token = await tokens.sign(claims);
    await tokens.verify(token);
    const [header, payload, signature] = token.split('.');
    const forged = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    forged.roles = ['owner'];
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    await expect(tokens.verify(tampered)).rejects.toMatchObject({ code: 'invalid_token' });
  });
});

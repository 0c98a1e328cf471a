import { createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import {
  errors as joseErrors,
  exportJWK,
  calculateJwkThumbprint,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTHeaderParameters,
} from 'jose';
import { isRole, type Role } from '@novapos/domain';
import { AppError } from './errors.ts';
import { isUuid } from './ids.ts';

/** What an access token says about its bearer. */
export interface AccessClaims {
  /** The user (or platform operator) id. */
  readonly sub: string;
  /** The tenant; absent for platform operators. */
  readonly tid: string | undefined;
  readonly roles: readonly Role[];
  /** Location scope; empty means every location. */
  readonly loc: readonly string[];
  /** The register of a PIN session. */
  readonly reg: string | undefined;
  /** The session (refresh-token family). */
  readonly sid: string;
  readonly kind: 'user' | 'platform_user';
}

export interface TokenServiceOptions {
  readonly privateKey: KeyObject;
  readonly issuer: string;
  readonly audience: string;
  readonly accessTtlSeconds: number;
  /**
   * Public keys of signing keys being rotated out (JWT_PREVIOUS_PUBLIC_KEYS): tokens they signed still verify, chosen
   * by `kid`, and they are served in the JWKS, until the operator removes them (after one access-token lifetime).
   */
  readonly previousPublicKeys?: readonly KeyObject[];
}

/** The only algorithm we sign with and the only one we accept: no `none`, no HMAC confusion. */
const ALGORITHM = 'EdDSA';

/**
 * Tokens already verified, so a till's every request does not pay for an Ed25519 verification again (about a
 * third of a millisecond through WebCrypto; docs/performance.md). Safe because a verified token's claims cannot
 * change: only its expiry is checked again. Bounded; the oldest entries go first.
 */
const VERIFIED_CACHE_MAX = 10_000;

/** Signs and verifies access tokens (Ed25519 JWTs), and publishes the public key as a JWK set. */
export class TokenService {
  readonly accessTtlSeconds: number;
  private readonly options: TokenServiceOptions;
  /** The current key and the previous ones, by kid (built once, on first use). */
  private verificationKeys: Promise<Map<string, { key: KeyObject; jwk: JWK }>> | undefined;
  private readonly publicKey: KeyObject;
  private jwk: JWK | undefined;
  private readonly verified = new Map<string, { readonly claims: AccessClaims; readonly expiresAtMs: number }>();

  constructor(options: TokenServiceOptions) {
    this.options = options;
    this.accessTtlSeconds = options.accessTtlSeconds;
    this.publicKey = createPublicKey(options.privateKey);
  }

  /** The public keys, as served at /.well-known/jwks.json: the signing key first, then those being rotated out. */
  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: [...(await this.keysByKid()).values()].map((k) => k.jwk) };
  }

  /** Every key that verifies, by `kid` (its RFC 7638 thumbprint): the current one and the previous ones. */
  private keysByKid(): Promise<Map<string, { key: KeyObject; jwk: JWK }>> {
    this.verificationKeys ??= (async () => {
      const keys = new Map<string, { key: KeyObject; jwk: JWK }>();
      const current = await this.publicJwk();
      keys.set(current.kid ?? '', { key: this.publicKey, jwk: current });
      for (const key of this.options.previousPublicKeys ?? []) {
        const jwk = await exportJWK(key);
        const kid = await calculateJwkThumbprint(jwk);
        if (!keys.has(kid)) keys.set(kid, { key, jwk: { ...jwk, kid, alg: ALGORITHM, use: 'sig' } });
      }
      return keys;
    })();
    return this.verificationKeys;
  }

  /** The key a token names by `kid`; the current key when it names none (tokens signed before kids existed). */
  private async keyFor(header: JWTHeaderParameters): Promise<KeyObject> {
    if (header.kid === undefined) return this.publicKey;
    const found = (await this.keysByKid()).get(header.kid);
    if (found === undefined) throw new AppError('invalid_token', 'The access token is signed by an unknown key');
    return found.key;
  }

  private async publicJwk(): Promise<JWK> {
    if (this.jwk === undefined) {
      const jwk = await exportJWK(this.publicKey);
      this.jwk = { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: ALGORITHM, use: 'sig' };
    }
    return this.jwk;
  }

  async sign(claims: AccessClaims): Promise<string> {
    const { kid } = await this.publicJwk();
    return new SignJWT({
      tid: claims.tid,
      roles: claims.roles,
      loc: claims.loc,
      reg: claims.reg,
      sid: claims.sid,
      kind: claims.kind,
    })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', ...(kid === undefined ? {} : { kid }) })
      .setSubject(claims.sub)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${this.options.accessTtlSeconds}s`)
      .sign(this.options.privateKey);
  }

  /** Verifies signature, algorithm, issuer, audience and expiry; throws 401 problems otherwise. */
  async verify(token: string): Promise<AccessClaims> {
    const known = this.verified.get(token);
    if (known !== undefined) {
      if (Date.now() < known.expiresAtMs) return known.claims;
      this.verified.delete(token);
      throw new AppError('token_expired', 'The access token has expired');
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.keyFor(header), {
        algorithms: [ALGORITHM],
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new AppError('token_expired', 'The access token has expired');
      throw new AppError('invalid_token', 'The access token is not valid', { cause: err });
    }
    const claims = parseClaims(payload);
    if (typeof payload.exp === 'number') {
      if (this.verified.size >= VERIFIED_CACHE_MAX) {
        const oldest = this.verified.keys().next().value;
        if (oldest !== undefined) this.verified.delete(oldest);
      }
      this.verified.set(token, { claims, expiresAtMs: payload.exp * 1000 });
    }
    return claims;
  }
}

function parseClaims(p: Record<string, unknown>): AccessClaims {
  const bad = (): never => {
    throw new AppError('invalid_token', 'The access token is not valid');
  };
  const sub = typeof p.sub === 'string' && isUuid(p.sub) ? p.sub : bad();
  const tid = p.tid === undefined ? undefined : typeof p.tid === 'string' && isUuid(p.tid) ? p.tid : bad();
  const roles = Array.isArray(p.roles) && p.roles.every((r) => typeof r === 'string' && isRole(r)) ? p.roles : bad();
  const loc =
    Array.isArray(p.loc) && p.loc.every((l) => typeof l === 'string' && isUuid(l)) ? (p.loc as string[]) : bad();
  const reg = p.reg === undefined ? undefined : typeof p.reg === 'string' && isUuid(p.reg) ? p.reg : bad();
  const sid = typeof p.sid === 'string' && isUuid(p.sid) ? p.sid : bad();
  const kind = p.kind === 'user' || p.kind === 'platform_user' ? p.kind : bad();
  // A tenant user always has a tenant; a platform operator never does.
  if ((kind === 'user') !== (tid !== undefined)) bad();
  return { sub, tid, roles, loc, reg, sid, kind };
}

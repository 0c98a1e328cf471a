import { createPublicKey, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

/**
 * A manager's approval of one discount, signed by the server (Ed25519, the access tokens' key, under its own
 * audience so an access token is never an approval and an approval never an access token). It names the tenant,
 * the register, the order's client id and the largest discount approved, so it approves exactly one sale.
 *
 * It lives 24 hours, not minutes: a sale approved at the till may wait in the offline queue and be sent later;
 * being bound to one order id, which can be created only once, a longer life approves nothing more.
 */
export interface DiscountApproval {
  /** What is approved: a discount (tokens without a kind), or a replay resolution (docs/pos.md "Replay"). */
  readonly kind?: ApprovalKind | undefined;
  readonly approval_id: string;
  readonly tenant_id: string;
  readonly register_id: string;
  readonly order_id: string;
  readonly max_discount_bp: number;
  readonly manager_id: string;
}

export type ApprovalKind = 'discount' | 'keep_till_prices' | 'sell_beyond_stock';
const KINDS: readonly string[] = ['discount', 'keep_till_prices', 'sell_beyond_stock'] satisfies ApprovalKind[];

const AUDIENCE = 'novapos-discount-approval';
export const APPROVAL_TTL_SECONDS = 24 * 3600;

export async function signApproval(key: KeyObject, issuer: string, a: DiscountApproval): Promise<string> {
  return new SignJWT({
    tid: a.tenant_id,
    reg: a.register_id,
    oid: a.order_id,
    bp: a.max_discount_bp,
    ...(a.kind === undefined || a.kind === 'discount' ? {} : { knd: a.kind }),
  })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setSubject(a.manager_id)
    .setJti(a.approval_id)
    .setIssuedAt()
    .setExpirationTime(`${APPROVAL_TTL_SECONDS}s`)
    .sign(key);
}

/** The approval a token carries, or undefined when it is forged, expired or not an approval. */
export async function verifyApproval(
  key: KeyObject,
  issuer: string,
  token: string,
): Promise<DiscountApproval | undefined> {
  try {
    const { payload } = await jwtVerify(token, createPublicKey(key), {
      issuer,
      audience: AUDIENCE,
      algorithms: ['EdDSA'],
    });
    const { tid, reg, oid, bp, sub, jti } = payload;
    const kind = payload.knd ?? 'discount';
    if (typeof kind !== 'string' || !KINDS.includes(kind)) return undefined;
    if (
      typeof tid !== 'string' ||
      typeof reg !== 'string' ||
      typeof oid !== 'string' ||
      typeof bp !== 'number' ||
      typeof sub !== 'string' ||
      typeof jti !== 'string'
    )
      return undefined;
    return {
      kind: kind as ApprovalKind,
      approval_id: jti,
      tenant_id: tid,
      register_id: reg,
      order_id: oid,
      max_discount_bp: bp,
      manager_id: sub,
    };
  } catch {
    return undefined;
  }
}

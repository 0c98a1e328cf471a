import { createPublicKey, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

/**
 * What a manager approves at the till by PIN: a discount above the cashier's limit (`discount`), selling beyond
 * stock under the blocking policy (`oversell`), or a resolution of a refused offline sale that overrides a money or
 * stock rule (`keep_till_prices`, `sell_beyond_stock`: docs/pos.md "Replay"). The kind is a signed claim, and each
 * check asks for its own kind, so one kind of approval is never accepted as another.
 */
export type ApprovalKind = 'discount' | 'oversell' | ReplayResolutionApprovalKind;

/** The approvals of a replay resolution (POST /v1/pos/replay-approvals). */
export type ReplayResolutionApprovalKind = 'keep_till_prices' | 'sell_beyond_stock';

interface ApprovalFacts {
  readonly approval_id: string;
  readonly tenant_id: string;
  readonly register_id: string;
  readonly order_id: string;
  readonly manager_id: string;
}

/** A manager's approval of a discount up to `max_discount_bp` (the largest stacked discount of any line). */
export interface DiscountApproval extends ApprovalFacts {
  readonly kind: 'discount';
  readonly max_discount_bp: number;
}

/**
 * A manager's approval that names only its sale: selling it beyond stock (its shortfalls are audited when the sale
 * is saved), or resolving its replay by the kind approved.
 */
export interface SaleApproval extends ApprovalFacts {
  readonly kind: Exclude<ApprovalKind, 'discount'>;
}

export type Approval = DiscountApproval | SaleApproval;

/**
 * A manager's approval, signed by the server (Ed25519, the access tokens' key, under its own audience so an access
 * token is never an approval and an approval never an access token). It names the tenant, the register and the
 * order's client id, so it approves exactly one sale.
 *
 * It lives 24 hours, not minutes: a sale approved at the till may wait in the offline queue and be sent later;
 * being bound to one order id, which can be created only once, a longer life approves nothing more.
 */
const AUDIENCE = 'novapos-discount-approval';
export const APPROVAL_TTL_SECONDS = 24 * 3600;

export async function signApproval(key: KeyObject, issuer: string, a: Approval): Promise<string> {
  return new SignJWT({
    kind: a.kind,
    tid: a.tenant_id,
    reg: a.register_id,
    oid: a.order_id,
    ...(a.kind === 'discount' ? { bp: a.max_discount_bp } : {}),
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

/**
 * The approval a token carries when it is of `kind`; undefined when it is forged, expired, not an approval, or an
 * approval of another kind. A token without a `kind` claim was signed before oversell approvals existed: it is a
 * discount approval (and so never an oversell one).
 */
export async function verifyApproval<K extends ApprovalKind>(
  key: KeyObject,
  issuer: string,
  token: string,
  kind: K,
): Promise<(Approval & { kind: K }) | undefined> {
  try {
    const { payload } = await jwtVerify(token, createPublicKey(key), {
      issuer,
      audience: AUDIENCE,
      algorithms: ['EdDSA'],
    });
    const { tid, reg, oid, bp, sub, jti } = payload;
    const signedKind = payload['kind'] ?? 'discount';
    if (
      signedKind !== kind ||
      typeof tid !== 'string' ||
      typeof reg !== 'string' ||
      typeof oid !== 'string' ||
      typeof sub !== 'string' ||
      typeof jti !== 'string'
    )
      return undefined;
    const facts = { approval_id: jti, tenant_id: tid, register_id: reg, order_id: oid, manager_id: sub };
    if (kind !== 'discount') return { ...facts, kind } as Extract<Approval, { kind: K }>;
    if (typeof bp !== 'number') return undefined;
    return { ...facts, kind: 'discount', max_discount_bp: bp } as Extract<Approval, { kind: K }>;
  } catch {
    return undefined;
  }
}

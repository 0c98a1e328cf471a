import { largestDiscountBp } from '../money/discounts.ts';
import { hasAnyRole, isRole, rolesAtLeast, type Role } from '../roles.ts';

/** The roles that give any discount without an approval: manager or above. */
export const DISCOUNT_APPROVER_ROLES: readonly Role[] = rolesAtLeast('manager');

/** A sale's discounts, who gives them, and what has been approved. */
export interface DiscountCheck {
  /** Each line's own discount in basis points (0 or absent for none). */
  readonly line_discount_bps: readonly (number | undefined)[];
  /** The order discount in basis points. */
  readonly order_discount_bp: number;
  /** The cashier's limit in basis points (CASHIER_DISCOUNT_LIMIT_BP). */
  readonly limit_bp: number;
  /** The actor's roles; names that are not roles are ignored. */
  readonly roles: readonly string[];
  /** The largest discount a manager's approval of this sale covers, when it carries one. */
  readonly approved_bp?: number | undefined;
}

/**
 * Whether a sale's discounts need (another) manager's approval. The discount checked is the largest any line gets,
 * its own and the order's stacked (`largestDiscountBp`: 10 % on a line under a 10 % order discount is 19 % on that
 * line). It needs one when that is above the limit, the actor is not a manager or above, and no approval covers
 * it. The till asks for a manager with it; the server refuses the sale with it (`requireDiscountAllowed`).
 */
export function discountNeedsApproval(check: DiscountCheck): boolean {
  const largest = largestDiscountBp(
    check.line_discount_bps.map((bp) => bp ?? 0),
    check.order_discount_bp,
  );
  if (largest <= check.limit_bp) return false;
  if (hasAnyRole(check.roles.filter(isRole), DISCOUNT_APPROVER_ROLES)) return false;
  return check.approved_bp === undefined || check.approved_bp < largest;
}

import type { ErrorStatusMap } from '../../platform/errors.ts';

/**
 * The error codes of pos: the till: discounts above the cashier's limit need a manager's approval; offline sign-in
 * reports. Composed with every other owner's in apps/server/src/errors.ts.
 */
export const POS_ERRORS = {
  discount_approval_required: 403,
  invalid_approval: 403,
  /** An offline sign-in report reuses the id of another, different one (offline-signin.service.ts). */
  offline_signin_conflict: 409,
  // A replayed sale's resolution that overrides money or stock rules (keep_till_prices, sell_beyond_stock) came
  // without a manager's approval (POST /v1/pos/replay-approvals).
  replay_approval_required: 403,
} as const satisfies ErrorStatusMap;

declare module '../../platform/errors.ts' {
  interface ErrorMaps {
    pos: typeof POS_ERRORS;
  }
}

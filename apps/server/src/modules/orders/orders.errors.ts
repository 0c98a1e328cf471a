import type { ErrorStatusMap } from '../../platform/errors.ts';

/** The error codes of orders: orders and tenders. Composed with every other owner's in apps/server/src/errors.ts. */
export const ORDERS_ERRORS = {
  order_not_found: 404,
  // A client-supplied order id already taken in this tenant whose order cannot be read back (ids are scoped to
  // their tenant, migration 0018; a replay answers the first order instead).
  id_taken: 409,
  // A total past what is computed exactly (2^53 − 1 minor units), though each input is inside its limits.
  amount_too_large: 422,
  invalid_state_transition: 409,
  insufficient_tender: 422,
  invalid_tender: 422,
  // Replay of sales taken offline (docs/pos.md "Replay"): no active device of the register has this id (another
  // tenant's, revoked, or another register's); the device's signature does not verify (a forged or altered sale);
  // a different sale claims a number the device already used; the sale was cancelled at the till; the sale differs
  // from what the server holds now and carries no resolution that settles it (`diff` in the problem); a processor
  // card cannot have been charged offline.
  device_not_found: 404,
  offline_signature_invalid: 422,
  offline_seq_reused: 409,
  offline_sale_cancelled: 409,
  replay_conflict: 409,
  offline_card_not_allowed: 422,
  // Cancelling a refused offline sale: it was accepted (void the order instead), or the refunds exceed its tenders.
  offline_sale_accepted: 409,
  invalid_refund: 422,
} as const satisfies ErrorStatusMap;

declare module '../../platform/errors.ts' {
  interface ErrorMaps {
    orders: typeof ORDERS_ERRORS;
  }
}

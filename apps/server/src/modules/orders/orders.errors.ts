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
} as const satisfies ErrorStatusMap;

declare module '../../platform/errors.ts' {
  interface ErrorMaps {
    orders: typeof ORDERS_ERRORS;
  }
}

import type { ErrorStatusMap } from '../../platform/errors.ts';

/** The error codes of orders: orders and tenders. Composed with every other owner's in apps/server/src/errors.ts. */
export const ORDERS_ERRORS = {
  order_not_found: 404,
  invalid_state_transition: 409,
  insufficient_tender: 422,
  invalid_tender: 422,
} as const satisfies ErrorStatusMap;

declare module '../../platform/errors.ts' {
  interface ErrorMaps {
    orders: typeof ORDERS_ERRORS;
  }
}

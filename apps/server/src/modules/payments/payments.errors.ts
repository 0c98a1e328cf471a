import type { ErrorStatusMap } from '../../platform/errors.ts';

/** The error codes of payments: payment intents and the card processor. Composed with every other owner's in apps/server/src/errors.ts. */
export const PAYMENTS_ERRORS = {
  payment_intent_not_found: 404,
  payment_declined: 402,
  refund_exceeds_captured: 422,
  capture_exceeds_authorized: 422,
  invalid_card_token: 400,
  gateway_unavailable: 503,
  payments_disabled: 503,
} as const satisfies ErrorStatusMap;

declare module '../../platform/errors.ts' {
  interface ErrorMaps {
    payments: typeof PAYMENTS_ERRORS;
  }
}

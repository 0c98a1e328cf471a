import type { ErrorStatusMap } from '../../platform/errors.ts';

/** The error codes of auth: sign-in, PIN sign-in and sessions. Composed with every other owner's in apps/server/src/errors.ts. */
export const AUTH_ERRORS = {
  invalid_credentials: 401,
  invalid_pin: 401,
  tenant_id_required: 400,
  account_locked: 423,
  account_inactive: 403,
  invalid_refresh_token: 401,
  refresh_token_reused: 401,
} as const satisfies ErrorStatusMap;

declare module '../../platform/errors.ts' {
  interface ErrorMaps {
    auth: typeof AUTH_ERRORS;
  }
}

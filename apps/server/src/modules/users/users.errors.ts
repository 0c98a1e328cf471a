import type { ErrorStatusMap } from '../../platform/errors.ts';

/** The error codes of users: users, their roles, scope and PINs. Composed with every other owner's in apps/server/src/errors.ts. */
export const USERS_ERRORS = {
  user_not_found: 404,
  email_taken: 409,
  pin_taken: 409,
  role_not_grantable: 403,
  last_owner: 409,
  cannot_deactivate_self: 403,
} as const satisfies ErrorStatusMap;

declare module '../../platform/errors.ts' {
  interface ErrorMaps {
    users: typeof USERS_ERRORS;
  }
}

import type { ErrorStatusMap } from '../../platform/errors.ts';

/** The error codes of tenancy: tenants, locations and registers. Composed with every other owner's in apps/server/src/errors.ts. */
export const TENANCY_ERRORS = {
  tenant_not_found: 404,
  location_not_found: 404,
  register_not_found: 404,
  name_taken: 409,
  code_taken: 409,
  location_archived: 409,
} as const satisfies ErrorStatusMap;

declare module '../../platform/errors.ts' {
  interface ErrorMaps {
    tenancy: typeof TENANCY_ERRORS;
  }
}

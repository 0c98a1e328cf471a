import type { ErrorStatusMap } from '../../platform/errors.ts';

/** The error codes of tax: tax-rate overrides. Composed with every other owner's in apps/server/src/errors.ts. */
export const TAX_ERRORS = {
  tax_rate_override_not_found: 404,
} as const satisfies ErrorStatusMap;

declare module '../../platform/errors.ts' {
  interface ErrorMaps {
    tax: typeof TAX_ERRORS;
  }
}

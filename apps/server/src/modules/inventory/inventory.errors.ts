import type { ErrorStatusMap } from '../../platform/errors.ts';

/** The error codes of inventory: the stock ledger. Composed with every other owner's in apps/server/src/errors.ts. */
export const INVENTORY_ERRORS = {
  insufficient_stock: 409,
} as const satisfies ErrorStatusMap;

declare module '../../platform/errors.ts' {
  interface ErrorMaps {
    inventory: typeof INVENTORY_ERRORS;
  }
}

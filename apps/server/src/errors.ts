// The one map from error code to HTTP status, composed from the platform's codes and each module's
// `<module>.errors.ts`. It lives here, outside platform/ (which imports no module) and outside the modules (none
// imports another's internals); runtime.ts loads it, so every app that is built knows every code.
//
// Exhaustive by type: `satisfies ErrorMaps` fails when a module declares a map (declaration merging in its errors
// file) that is not listed here, and `ErrorCode` (platform/errors.ts) accepts only codes of declared maps.
import {
  PLATFORM_ERRORS,
  registerErrorStatuses,
  type ErrorCode,
  type ErrorMaps,
  type HttpStatus,
} from './platform/errors.ts';
import { AUTH_ERRORS } from './modules/auth/auth.errors.ts';
import { BACKUPS_ERRORS } from './modules/backups/backups.errors.ts';
import { CATALOG_ERRORS } from './modules/catalog/catalog.errors.ts';
import { INVENTORY_ERRORS } from './modules/inventory/inventory.errors.ts';
import { ORDERS_ERRORS } from './modules/orders/orders.errors.ts';
import { PAYMENTS_ERRORS } from './modules/payments/payments.errors.ts';
import { POS_ERRORS } from './modules/pos/pos.errors.ts';
import { TAX_ERRORS } from './modules/tax/tax.errors.ts';
import { TENANCY_ERRORS } from './modules/tenancy/tenancy.errors.ts';
import { USERS_ERRORS } from './modules/users/users.errors.ts';
import { WEBHOOKS_ERRORS } from './modules/webhooks/webhooks.errors.ts';

/** Every owner's map, by owner. */
export const ERROR_MAPS = {
  platform: PLATFORM_ERRORS,
  auth: AUTH_ERRORS,
  backups: BACKUPS_ERRORS,
  catalog: CATALOG_ERRORS,
  inventory: INVENTORY_ERRORS,
  orders: ORDERS_ERRORS,
  payments: PAYMENTS_ERRORS,
  pos: POS_ERRORS,
  tax: TAX_ERRORS,
  tenancy: TENANCY_ERRORS,
  users: USERS_ERRORS,
  webhooks: WEBHOOKS_ERRORS,
} as const satisfies ErrorMaps;

/** Every code and its status, flattened. Registering it refuses a code that two owners map to two statuses. */
export const ERROR_STATUS = Object.fromEntries(
  Object.values(ERROR_MAPS).flatMap((map) => Object.entries(map)),
) as Readonly<Record<ErrorCode, HttpStatus>>;

registerErrorStatuses(ERROR_STATUS);

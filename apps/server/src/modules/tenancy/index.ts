// What other modules may use of tenancy, the owner of `tenants` (and the tenant settings), `locations` and
// `registers`. Routes are registered by app.ts from tenancy.routes.ts.
export {
  findActiveLocationIds,
  findLocation,
  findRegister,
  findRegisterIdsAt,
  findTenant,
  insertLocation,
  insertRegister,
  insertTenant,
  type LocationRow,
  type RegisterRow,
  type TenantRow,
} from './tenancy.repo.ts';
export { createLocation, updateLocation } from './locations.service.ts';
export { createRegister } from './registers.service.ts';
export { canonicalTimeZone, cleanName, cleanReceiptLines, sameLines } from './tenancy.shared.ts';
export {
  getOfflineCardPolicy,
  getStockPolicy,
  getTenantMoneySettings,
  type OfflineCardPolicy,
  type TenantMoneySettings,
} from './settings.service.ts';
// For orders (the sale path), pos (the till's context) and receipts: one statement each, the same SQL they ran
// against tenancy's tables themselves (docs/architecture.md, "Table owners").
export {
  findActiveRegister,
  findReceiptNames,
  findTillRegister,
  type ActiveRegisterRow,
  type ReceiptNamesRow,
  type TillRegisterRow,
} from './places.repo.ts';

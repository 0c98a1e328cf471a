// What other modules may use of tenancy. Routes are registered by app.ts from tenancy.routes.ts.
export { createTenant, type CreateTenantInput, type CreatedTenant } from './create-tenant.ts';
export { findActiveLocationIds } from './tenancy.repo.ts';
export { createLocation, updateLocation } from './locations.service.ts';
export { createRegister } from './registers.service.ts';
export { canonicalTimeZone, cleanName, cleanReceiptLines, sameLines } from './tenancy.shared.ts';

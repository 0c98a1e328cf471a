export { createTenant, type CreateTenantInput, type CreatedTenant } from './create-tenant.ts';
export {
  createSuperadmin,
  SUPERADMIN_MIN_PASSWORD,
  type CreateSuperadminInput,
  type CreatedSuperadmin,
} from './superadmins.ts';

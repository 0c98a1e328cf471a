import type { App, AppDeps } from '../../app.ts';
export { createTenant, type CreateTenantInput, type CreatedTenant } from './create-tenant.ts';

export function tenancyRoutes(_app: App, _deps: AppDeps): void {
  // /v1/locations, /v1/registers
}

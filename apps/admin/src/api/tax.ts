import { api, ok } from './client.ts';
import type { BodyOf, ItemOf, ResultOf } from './types.ts';

export type TaxOverride = ItemOf<'/v1/admin/tax_rate_overrides'>;
export type TenantSettings = ResultOf<'/v1/settings/tenant'>;
export type TenantSettingsChange = BodyOf<'/v1/settings/tenant', 'patch'>;

export function listOverrides(): Promise<ResultOf<'/v1/admin/tax_rate_overrides'>> {
  return ok(api.GET('/v1/admin/tax_rate_overrides', { params: { query: { limit: 200 } } }));
}

export function setOverride(body: BodyOf<'/v1/admin/tax_rate_overrides', 'post'>): Promise<TaxOverride> {
  return ok(api.POST('/v1/admin/tax_rate_overrides', { body }));
}

export async function deleteOverride(id: string): Promise<void> {
  await ok(api.DELETE('/v1/admin/tax_rate_overrides/{id}', { params: { path: { id } } }));
}

export function tenantSettings(): Promise<TenantSettings> {
  return ok(api.GET('/v1/settings/tenant'));
}

export function updateTenantSettings(body: TenantSettingsChange): Promise<TenantSettings> {
  return ok(api.PATCH('/v1/settings/tenant', { body }));
}

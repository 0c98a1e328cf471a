import { api, ok } from './client.ts';
import type { BodyOf, ItemOf, ResultOf } from './types.ts';

export type Location = ItemOf<'/v1/locations'>;
export type Register = ItemOf<'/v1/registers'>;
export type NewLocation = BodyOf<'/v1/locations', 'post'>;
export type LocationChange = BodyOf<'/v1/locations/{id}', 'patch'>;

export function listLocations(includeArchived = false): Promise<ResultOf<'/v1/locations'>> {
  return ok(api.GET('/v1/locations', { params: { query: { include_archived: includeArchived, limit: 200 } } }));
}

export function createLocation(body: NewLocation): Promise<Location> {
  return ok(api.POST('/v1/locations', { body }));
}

export function updateLocation(id: string, body: LocationChange): Promise<Location> {
  return ok(api.PATCH('/v1/locations/{id}', { params: { path: { id } }, body }));
}

export function archiveLocation(id: string): Promise<ResultOf<'/v1/locations/{id}/archive', 'post'>> {
  return ok(api.POST('/v1/locations/{id}/archive', { params: { path: { id } } }));
}

export function listRegisters(includeArchived = false): Promise<ResultOf<'/v1/registers'>> {
  return ok(api.GET('/v1/registers', { params: { query: { include_archived: includeArchived, limit: 200 } } }));
}

export function createRegister(body: BodyOf<'/v1/registers', 'post'>): Promise<Register> {
  return ok(api.POST('/v1/registers', { body }));
}

export function renameRegister(id: string, name: string): Promise<Register> {
  return ok(api.PATCH('/v1/registers/{id}', { params: { path: { id } }, body: { name } }));
}

export function archiveRegister(id: string): Promise<Register> {
  return ok(api.POST('/v1/registers/{id}/archive', { params: { path: { id } } }));
}

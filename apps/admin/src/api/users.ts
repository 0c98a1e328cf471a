import { api, ok } from './client.ts';
import type { BodyOf, ItemOf, QueryOf, ResultOf } from './types.ts';

export type User = ItemOf<'/v1/users'>;
export type NewUser = BodyOf<'/v1/users', 'post'>;
export type UserChange = BodyOf<'/v1/users/{id}', 'patch'>;

export function listUsers(query: QueryOf<'/v1/users'>): Promise<ResultOf<'/v1/users'>> {
  return ok(api.GET('/v1/users', { params: { query } }));
}

export function createUser(body: NewUser): Promise<User> {
  return ok(api.POST('/v1/users', { body }));
}

export function updateUser(id: string, body: UserChange): Promise<User> {
  return ok(api.PATCH('/v1/users/{id}', { params: { path: { id } }, body }));
}

export function setActive(id: string, active: boolean): Promise<User> {
  const params = { params: { path: { id } } };
  return ok(active ? api.POST('/v1/users/{id}/reactivate', params) : api.POST('/v1/users/{id}/deactivate', params));
}

import type { Role } from '@novapos/domain';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { Page, problems } from '../../platform/http/schemas.ts';
import { deactivateUser, reactivateUser } from './users.activation.ts';
import { CreateUserBody, UpdateUserBody, UserIdParams, UserListQuery, UserSchema } from './users.schemas.ts';
import { createUser, getUser, listUsers, type UsersDeps } from './users.service.ts';
import { updateUser } from './users.update.ts';

const TAGS = ['users'];
/** Staff management is for owners and admins; what an admin may do to whom is checked in users.rules.ts. */
const MANAGERS_OF_USERS: readonly Role[] = ['owner', 'admin'];

/** /v1/users: the staff of a tenant, their roles, location scope, password and PIN. */
export function usersRoutes(app: App, deps: AppDeps): void {
  const service: UsersDeps = { db: deps.db, pinPepper: deps.secrets.pinPepper, endSessions: deps.endSessions };

  app.get(
    '/v1/users',
    {
      config: { access: MANAGERS_OF_USERS },
      schema: {
        tags: TAGS,
        operationId: 'listUsers',
        summary: 'List users (filter by role, active, or a search in e-mail and name)',
        querystring: UserListQuery,
        response: { 200: Page(UserSchema), ...problems(400, 401, 403) },
      },
    },
    (request) => listUsers(service, request.ctx, request.query),
  );

  app.post(
    '/v1/users',
    {
      config: { access: MANAGERS_OF_USERS, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'createUser',
        summary: 'Create a user',
        body: CreateUserBody,
        response: { 201: UserSchema, ...problems(400, 401, 403, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const user = await createUser(service, request.ctx, request.body);
      return reply.code(201).header('location', `/v1/users/${user.id}`).send(user);
    },
  );

  app.get(
    '/v1/users/:id',
    {
      config: { access: MANAGERS_OF_USERS },
      schema: {
        tags: TAGS,
        operationId: 'getUser',
        summary: 'Get a user',
        params: UserIdParams,
        response: { 200: UserSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => getUser(service, request.ctx, request.params.id),
  );

  app.patch(
    '/v1/users/:id',
    {
      config: { access: MANAGERS_OF_USERS },
      schema: {
        tags: TAGS,
        operationId: 'updateUser',
        summary: "Change a user's name, roles, location scope, PIN or password",
        params: UserIdParams,
        body: UpdateUserBody,
        response: { 200: UserSchema, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    (request) => updateUser(service, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/v1/users/:id/deactivate',
    {
      config: { access: MANAGERS_OF_USERS },
      schema: {
        tags: TAGS,
        operationId: 'deactivateUser',
        summary: 'Deactivate a user and end their sessions',
        params: UserIdParams,
        response: { 200: UserSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    (request) => deactivateUser(service, request.ctx, request.params.id),
  );

  app.post(
    '/v1/users/:id/reactivate',
    {
      config: { access: MANAGERS_OF_USERS },
      schema: {
        tags: TAGS,
        operationId: 'reactivateUser',
        summary: 'Let a deactivated user sign in again',
        params: UserIdParams,
        response: { 200: UserSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => reactivateUser(service, request.ctx, request.params.id),
  );
}

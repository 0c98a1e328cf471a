import { ALL_ROLES, rolesAtLeast, type Role } from '@novapos/domain';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { Page, problems } from '../../platform/http/schemas.ts';
import * as registers from './registers.service.ts';
import {
  CreateRegisterBody,
  IdParams,
  RegisterListQuery,
  RegisterSchema,
  UpdateRegisterBody,
} from './tenancy.schemas.ts';

const TAGS = ['registers'];
const READERS: readonly Role[] = ALL_ROLES.filter((r) => r !== 'superadmin');
/** Managers set up the tills of their own stores; owners and admins of any store. */
const WRITERS: readonly Role[] = rolesAtLeast('manager');

/** /v1/registers: the tills of each location. */
export function registersRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/v1/registers',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        operationId: 'listRegisters',
        summary: 'List registers, optionally of one location (a user with a location scope sees only theirs)',
        querystring: RegisterListQuery,
        response: { 200: Page(RegisterSchema), ...problems(400, 401, 403) },
      },
    },
    (request) => registers.listRegisters(deps.db, request.ctx, request.query),
  );

  app.post(
    '/v1/registers',
    {
      config: { access: WRITERS, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'createRegister',
        summary: 'Add a register to a location',
        body: CreateRegisterBody,
        response: { 201: RegisterSchema, ...problems(400, 401, 403, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const register = await registers.createRegister(deps.db, request.ctx, request.body);
      return reply.code(201).header('location', `/v1/registers/${register.id}`).send(register);
    },
  );

  app.get(
    '/v1/registers/:id',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        operationId: 'getRegister',
        summary: 'Get a register',
        params: IdParams,
        response: { 200: RegisterSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => registers.getRegister(deps.db, request.ctx, request.params.id),
  );

  app.patch(
    '/v1/registers/:id',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        operationId: 'updateRegister',
        summary: 'Rename a register',
        params: IdParams,
        body: UpdateRegisterBody,
        response: { 200: RegisterSchema, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    (request) => registers.updateRegister(deps.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/v1/registers/:id/archive',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        operationId: 'archiveRegister',
        summary: 'Archive a register (it can no longer be signed in at)',
        params: IdParams,
        response: { 200: RegisterSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => registers.archiveRegister(deps.db, request.ctx, request.params.id),
  );
}

import { ALL_ROLES, type Role } from '@novapos/domain';
import { Type } from 'typebox';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { Page, problems } from '../../platform/http/schemas.ts';
import * as locations from './locations.service.ts';
import {
  CreateLocationBody,
  IdParams,
  LocationListQuery,
  LocationSchema,
  RegisterSchema,
  UpdateLocationBody,
} from './tenancy.schemas.ts';

const TAGS = ['locations'];
/** Every tenant role reads; only owners and admins shape the store network. */
const READERS: readonly Role[] = ALL_ROLES.filter((r) => r !== 'superadmin');
const WRITERS: readonly Role[] = ['owner', 'admin'];

const ArchivedLocationSchema = Type.Object({
  ...LocationSchema.properties,
  archived_registers: Type.Array(RegisterSchema, { description: 'Registers archived together with the location' }),
});

/** /v1/locations: the stores of a tenant. */
export function locationsRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/v1/locations',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        operationId: 'listLocations',
        summary: 'List locations (a user with a location scope sees only those)',
        querystring: LocationListQuery,
        response: { 200: Page(LocationSchema), ...problems(400, 401, 403) },
      },
    },
    (request) => locations.listLocations(deps.db, request.ctx, request.query),
  );

  app.post(
    '/v1/locations',
    {
      config: { access: WRITERS, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'createLocation',
        summary: 'Create a location',
        body: CreateLocationBody,
        response: { 201: LocationSchema, ...problems(400, 401, 403, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const location = await locations.createLocation(deps.db, request.ctx, request.body);
      return reply.code(201).header('location', `/v1/locations/${location.id}`).send(location);
    },
  );

  app.get(
    '/v1/locations/:id',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        operationId: 'getLocation',
        summary: 'Get a location',
        params: IdParams,
        response: { 200: LocationSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => locations.getLocation(deps.db, request.ctx, request.params.id),
  );

  app.patch(
    '/v1/locations/:id',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        operationId: 'updateLocation',
        summary: 'Change the name, code, time zone or address of a location',
        params: IdParams,
        body: UpdateLocationBody,
        response: { 200: LocationSchema, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    (request) => locations.updateLocation(deps.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/v1/locations/:id/archive',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        operationId: 'archiveLocation',
        summary: 'Archive a location and its active registers',
        params: IdParams,
        response: { 200: ArchivedLocationSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => locations.archiveLocation(deps.db, request.ctx, request.params.id),
  );
}

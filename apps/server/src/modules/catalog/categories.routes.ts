import { rolesAtLeast, TENANT_ROLES, type Role } from '@novapos/domain';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { Page, problems } from '../../platform/http/schemas.ts';
import { IdParams } from './catalog.schemas.ts';
import * as categories from './categories.service.ts';
import {
  CategoryListQuery,
  CategoryOrderBody,
  CategoryOrderResult,
  CategorySchema,
  CreateCategoryBody,
  UpdateCategoryBody,
} from './categories.schemas.ts';

const TAGS = ['catalog'];
/** Every tenant role reads the catalog (the till shows it); managers and above change it. */
export const CATALOG_READERS: readonly Role[] = TENANT_ROLES;
export const CATALOG_WRITERS: readonly Role[] = rolesAtLeast('manager');

/** /v1/categories: how products are grouped on the till and in the back office. */
export function categoriesRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/v1/categories',
    {
      config: { access: CATALOG_READERS },
      schema: {
        tags: TAGS,
        operationId: 'listCategories',
        summary: 'List categories in display order (position, then creation)',
        querystring: CategoryListQuery,
        response: { 200: Page(CategorySchema), ...problems(400, 401, 403) },
      },
    },
    (request) => categories.listCategories(deps.db, request.ctx, request.query),
  );

  app.post(
    '/v1/categories',
    {
      config: { access: CATALOG_WRITERS, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'createCategory',
        summary: 'Create a category (names are unique in the tenant, case-insensitively)',
        body: CreateCategoryBody,
        response: { 201: CategorySchema, ...problems(400, 401, 403, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const category = await categories.createCategory(deps.db, request.ctx, request.body);
      return reply.code(201).send(category);
    },
  );

  app.put(
    '/v1/categories/order',
    {
      config: { access: CATALOG_WRITERS },
      schema: {
        tags: TAGS,
        operationId: 'reorderCategories',
        summary: 'Set the order of all active categories at once (positions 10, 20, 30…; all or nothing)',
        description:
          '`ids` names every active category of the tenant exactly once. A repeated id is 400 `validation_failed`; ' +
          'an id that is not a category of this tenant is 404 `category_not_found`; an archived category, or an ' +
          'active one left out (the list changed since it was read), is 409 `category_order_mismatch` with ' +
          '`missing`. Nothing is written on any refusal.',
        body: CategoryOrderBody,
        response: { 200: CategoryOrderResult, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    (request) => categories.reorderCategories(deps.db, request.ctx, request.body),
  );

  app.patch(
    '/v1/categories/:id',
    {
      config: { access: CATALOG_WRITERS },
      schema: {
        tags: TAGS,
        operationId: 'updateCategory',
        summary: 'Rename a category or change its position',
        params: IdParams,
        body: UpdateCategoryBody,
        response: { 200: CategorySchema, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    (request) => categories.updateCategory(deps.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/v1/categories/:id/archive',
    {
      config: { access: CATALOG_WRITERS },
      schema: {
        tags: TAGS,
        operationId: 'archiveCategory',
        summary: 'Archive a category (its products keep it; no new product can join it)',
        params: IdParams,
        response: { 200: CategorySchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => categories.archiveCategory(deps.db, request.ctx, request.params.id),
  );
}

import type { App, AppDeps } from '../../platform/app-deps.ts';
import { problems } from '../../platform/http/schemas.ts';
import { IdParams, UpdateVariantBody, VariantSchema } from './catalog.schemas.ts';
import { CATALOG_READERS, CATALOG_WRITERS } from './categories.routes.ts';
import * as variants from './variants.service.ts';

const TAGS = ['catalog'];

/** /v1/variants/:id: what is sold, with its SKU, price, tax code and barcodes. */
export function variantsRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/v1/variants/:id',
    {
      config: { access: CATALOG_READERS },
      schema: {
        tags: TAGS,
        operationId: 'getVariant',
        summary: 'Get a variant',
        params: IdParams,
        response: { 200: VariantSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => variants.getVariant(deps.db, request.ctx, request.params.id),
  );

  app.patch(
    '/v1/variants/:id',
    {
      config: { access: CATALOG_WRITERS },
      schema: {
        tags: TAGS,
        operationId: 'updateVariant',
        summary: 'Change SKU, name, price, tax code or barcodes (the set is replaced); price changes are audited',
        params: IdParams,
        body: UpdateVariantBody,
        response: { 200: VariantSchema, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    (request) => variants.updateVariant(deps.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/v1/variants/:id/archive',
    {
      config: { access: CATALOG_WRITERS },
      schema: {
        tags: TAGS,
        operationId: 'archiveVariant',
        summary: 'Archive a variant (the till refuses it; its SKU and barcodes stay reserved)',
        params: IdParams,
        response: { 200: VariantSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => variants.archiveVariant(deps.db, request.ctx, request.params.id),
  );
}

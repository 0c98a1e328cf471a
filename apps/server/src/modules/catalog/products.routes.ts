import type { App, AppDeps } from '../../platform/app-deps.ts';
import { Page, problems } from '../../platform/http/schemas.ts';
import {
  CreatedProductSchema,
  CreateProductBody,
  IdParams,
  LookupQuery,
  LookupSchema,
  NewVariantBody,
  ProductListQuery,
  ProductSchema,
  UpdateProductBody,
  VariantSchema,
} from './catalog.schemas.ts';
import { CATALOG_READERS, CATALOG_WRITERS } from './categories.routes.ts';
import * as products from './products.service.ts';
import { addVariant, lookupBarcode } from './variants.service.ts';

const TAGS = ['catalog'];

/** /v1/products: products with their variants, search, barcode lookup. */
export function productsRoutes(app: App, deps: AppDeps): void {
  app.post(
    '/v1/products',
    {
      config: { access: CATALOG_WRITERS, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'createProduct',
        summary: 'Create a product with its variants (SKUs and barcodes unique in the tenant) and their opening stock',
        body: CreateProductBody,
        response: { 201: CreatedProductSchema, ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const product = await products.createProduct(deps.db, request.ctx, request.body);
      return reply.code(201).header('location', `/v1/products/${product.id}`).send(product);
    },
  );

  app.get(
    '/v1/products',
    {
      config: { access: CATALOG_READERS },
      schema: {
        tags: TAGS,
        operationId: 'listProducts',
        summary: 'List or search products (q: name similarity or fragment, or SKU prefix), in pages',
        querystring: ProductListQuery,
        response: { 200: Page(ProductSchema), ...problems(400, 401, 403) },
      },
    },
    (request) => products.listProducts(deps.db, request.ctx, request.query),
  );

  app.get(
    '/v1/products/lookup',
    {
      config: { access: CATALOG_READERS },
      schema: {
        tags: TAGS,
        operationId: 'lookupBarcode',
        summary: 'The variant an exact barcode names (archived ones flagged); 422 unknown_barcode when none',
        querystring: LookupQuery,
        response: { 200: LookupSchema, ...problems(400, 401, 403, 422) },
      },
    },
    (request) => lookupBarcode(deps.db, request.ctx, request.query.barcode),
  );

  app.get(
    '/v1/products/:id',
    {
      config: { access: CATALOG_READERS },
      schema: {
        tags: TAGS,
        operationId: 'getProduct',
        summary: 'Get a product with all its variants',
        params: IdParams,
        response: { 200: ProductSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => products.getProduct(deps.db, request.ctx, request.params.id),
  );

  app.patch(
    '/v1/products/:id',
    {
      config: { access: CATALOG_WRITERS },
      schema: {
        tags: TAGS,
        operationId: 'updateProduct',
        summary: "Change a product's name, description or category",
        params: IdParams,
        body: UpdateProductBody,
        response: { 200: ProductSchema, ...problems(400, 401, 403, 404, 413, 415) },
      },
    },
    (request) => products.updateProduct(deps.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/v1/products/:id/archive',
    {
      config: { access: CATALOG_WRITERS },
      schema: {
        tags: TAGS,
        operationId: 'archiveProduct',
        summary: 'Archive a product and its variants (nothing is deleted)',
        params: IdParams,
        response: { 200: ProductSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => products.archiveProduct(deps.db, request.ctx, request.params.id),
  );

  app.post(
    '/v1/products/:id/variants',
    {
      config: { access: CATALOG_WRITERS, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'addVariant',
        summary: 'Add a variant to a product',
        params: IdParams,
        body: NewVariantBody,
        response: { 201: VariantSchema, ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const variant = await addVariant(deps.db, request.ctx, request.params.id, request.body);
      return reply.code(201).header('location', `/v1/variants/${variant.id}`).send(variant);
    },
  );
}

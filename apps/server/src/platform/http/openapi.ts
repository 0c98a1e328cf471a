import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import type { Config } from '../config.ts';
import { documentIdempotencyKey } from './idempotency.ts';
import { ProblemRef } from './schemas.ts';

/**
 * The document's tags, in the order /docs shows them: how to sign in, then the business API, then the platform's
 * own routes (operators, monitoring, health). Every operation carries exactly one of these (a test checks it).
 */
export const OPENAPI_TAGS = [
  { name: 'auth', description: 'Signing in (e-mail and password, or a PIN at a register), tokens, the signing keys' },
  { name: 'orders', description: 'Sales: pricing a cart, creating, paying, parking and voiding orders, receipts' },
  { name: 'pos', description: "The till's register context and manager approvals of discounts" },
  { name: 'catalog', description: 'Categories, products, variants (SKUs, barcodes, prices), CSV import and export' },
  { name: 'inventory', description: 'Stock levels per location, the stock ledger, adjustments and thresholds' },
  { name: 'payments', description: 'Card payment intents (authorize, capture, void, refund) and reconciliation' },
  { name: 'reports', description: 'Sales figures of the day and per hour' },
  { name: 'tax', description: 'Tax rate overrides per tenant, location and register' },
  { name: 'settings', description: "The tenant's money and stock settings" },
  { name: 'locations', description: 'Shops and warehouses of the tenant' },
  { name: 'registers', description: 'The tills of each location' },
  { name: 'users', description: 'People, their roles, location scope, PIN and password' },
  { name: 'webhooks', description: 'Outgoing webhook endpoints and deliveries; incoming events from card processors' },
  { name: 'audit', description: 'The tamper-evident audit log and its verification' },
  { name: 'platform', description: 'Platform operators (superadmin): maintenance mode, platform status' },
  {
    name: 'ops',
    description: 'Operations: health probes, metrics, backups, monitoring, till telemetry, the job queue',
  },
] as const;

export type OpenApiTag = (typeof OPENAPI_TAGS)[number]['name'];

/** What any route may answer besides its declared statuses (a URI or headers too large, a failure on our side). */
const CATCH_ALL_PROBLEMS = {
  '4xx': {
    description: 'Another client error (e.g. 405, 414 URI too long, 431 headers too large): a problem',
    content: { 'application/problem+json': { schema: ProblemRef } },
  },
  '5xx': {
    description:
      'A failure on our side (500 internal_error, details only in the log) or unavailability (503): a problem',
    content: { 'application/problem+json': { schema: ProblemRef } },
  },
};

/** A response schema registered with `app.addSchema` is shown as a reference to its component. */
function referenced(schema: unknown, shared: ReadonlySet<string>): unknown {
  const id = (schema as { $id?: unknown } | null)?.$id;
  return typeof id === 'string' && shared.has(id) ? { $ref: id } : schema;
}

interface TransformInput {
  /** Undefined for a route declared without a schema. */
  readonly schema: FastifySchema | undefined;
  readonly route: RouteOptions;
  readonly openapiObject: { components?: { schemas?: Record<string, unknown> } };
}

/**
 * Additions that only the document sees (validation and serialization are untouched): the `Idempotency-Key`
 * header of idempotent routes, the catch-all 4XX and 5XX problems of every operation, and references to the
 * shared response schemas (the till's generated types name them: TillContext, CatalogChanges…).
 */
function documentOnly({ schema, route, openapiObject }: TransformInput): { schema: FastifySchema | undefined } {
  if (schema === undefined || (schema as { hide?: boolean }).hide === true) return { schema };
  const shared = new Set(Object.keys(openapiObject.components?.schemas ?? {}));
  const documented = documentIdempotencyKey(schema, route.config?.idempotent === true);
  const response = Object.fromEntries(
    Object.entries((documented.response ?? {}) as Record<string, unknown>).map(([status, r]) => [
      status,
      referenced(r, shared),
    ]),
  );
  return { schema: { ...documented, response: { ...CATCH_ALL_PROBLEMS, ...response } } };
}

/**
 * The OpenAPI document at /openapi.json and its reference at /docs. Operations come from the route schemas:
 * operationId, summary and tag written on each route; security from its `config.access` (access.ts).
 */
export async function registerOpenApi(app: FastifyInstance, config: Pick<Config, 'publicUrl'>): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'NovaPOS API',
        version: '1.0.0',
        description:
          'Multi-tenant point of sale. Money is integer minor units in *_cents fields; errors are RFC 9457 problems ' +
          '(`application/problem+json`) with a stable `code` (also in X-Error-Code); lists are cursor-paginated; ' +
          'POSTs that move money or stock accept Idempotency-Key. Sign in with `login` (or `pinLogin` at a till) ' +
          'and send `Authorization: Bearer <access_token>`.',
      },
      servers: [{ url: config.publicUrl ?? '/', description: 'This NovaPOS server' }],
      tags: OPENAPI_TAGS.map((t) => ({ ...t })),
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: documentOnly as never,
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

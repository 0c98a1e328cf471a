import { rolesAtLeast, type Role } from '@novapos/domain';
import { Type } from 'typebox';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { noStore } from '../../platform/http/no-store.ts';
import { Page, problems } from '../../platform/http/schemas.ts';
import {
  CreateWebhookEndpointBody,
  EndpointIdParams,
  EndpointListQuery,
  UpdateWebhookEndpointBody,
  WebhookDeliverySchema,
  WebhookEndpointSchema,
} from './hooks.schemas.ts';
import * as hooks from './hooks.service.ts';
import type { UrlGuardOptions } from './url-guard.ts';

const TAGS = ['webhooks'];
/** Tenant admins (and owners) register outgoing webhook endpoints (docs/outgoing-webhooks.md). */
const ADMINS: readonly Role[] = rolesAtLeast('admin');

/**
 * /v1/webhook_endpoints: outgoing webhooks. `allowPrivateUrls` (tests, development) lets endpoints use http and
 * loopback or private addresses; by default it comes from WEBHOOK_ALLOW_PRIVATE_URLS (config.webhooks).
 */
export function hooksRoutes(app: App, deps: AppDeps, options: { allowPrivateUrls?: boolean } = {}): void {
  const guard: UrlGuardOptions = {
    allowPrivateUrls: options.allowPrivateUrls ?? deps.config.webhooks.allowPrivateUrls,
  };

  app.post(
    '/v1/webhook_endpoints',
    {
      config: { access: ADMINS },
      // The answer holds the endpoint's signing secret.
      onRequest: noStore,
      schema: {
        tags: TAGS,
        operationId: 'createWebhookEndpoint',
        summary: 'Register an endpoint for event types; the answer holds its signing secret, shown only this once',
        body: CreateWebhookEndpointBody,
        response: { 201: WebhookEndpointSchema, ...problems(400, 401, 403, 413, 415) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await hooks.createEndpoint(deps.db, request.ctx, guard, request.body)),
  );

  app.get(
    '/v1/webhook_endpoints',
    {
      config: { access: ADMINS },
      schema: {
        tags: TAGS,
        operationId: 'listWebhookEndpoints',
        summary: 'List webhook endpoints (secrets masked)',
        querystring: EndpointListQuery,
        response: { 200: Page(WebhookEndpointSchema), ...problems(400, 401, 403) },
      },
    },
    (request) => hooks.listEndpoints(deps.db, request.ctx, request.query),
  );

  app.get(
    '/v1/webhook_endpoints/:id',
    {
      config: { access: ADMINS },
      schema: {
        tags: TAGS,
        operationId: 'getWebhookEndpoint',
        summary: 'One webhook endpoint (secret masked)',
        params: EndpointIdParams,
        response: { 200: WebhookEndpointSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => hooks.getEndpoint(deps.db, request.ctx, request.params.id),
  );

  app.patch(
    '/v1/webhook_endpoints/:id',
    {
      config: { access: ADMINS },
      schema: {
        tags: TAGS,
        operationId: 'updateWebhookEndpoint',
        summary: "Change an endpoint's URL, event types or description, or re-enable it",
        params: EndpointIdParams,
        body: UpdateWebhookEndpointBody,
        response: { 200: WebhookEndpointSchema, ...problems(400, 401, 403, 404, 413, 415) },
      },
    },
    (request) => hooks.updateEndpoint(deps.db, request.ctx, guard, request.params.id, request.body),
  );

  app.delete(
    '/v1/webhook_endpoints/:id',
    {
      config: { access: ADMINS },
      schema: {
        tags: TAGS,
        operationId: 'deleteWebhookEndpoint',
        summary: 'Remove an endpoint with its deliveries',
        params: EndpointIdParams,
        response: { 204: Type.Null({ description: 'Removed' }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await hooks.deleteEndpoint(deps.db, request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/webhook_endpoints/:id/deliveries',
    {
      config: { access: ADMINS },
      schema: {
        tags: TAGS,
        operationId: 'listWebhookDeliveries',
        summary: 'Deliveries to an endpoint, newest first, with every attempt',
        params: EndpointIdParams,
        querystring: EndpointListQuery,
        response: { 200: Page(WebhookDeliverySchema), ...problems(400, 401, 403, 404) },
      },
    },
    (request) => hooks.listDeliveries(deps.db, request.ctx, request.params.id, request.query),
  );
}

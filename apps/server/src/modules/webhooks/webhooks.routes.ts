import type { App, AppDeps } from '../../platform/app-deps.ts';
import { problems } from '../../platform/http/schemas.ts';
import {
  EventIdParams,
  ProviderParams,
  WebhookAccepted,
  WebhookEventQuery,
  WebhookEventSchema,
} from './webhooks.schemas.ts';
import { listEvents, receiveWebhook, replayEvent, type WebhookDeps } from './webhooks.service.ts';
import { Page } from '../../platform/http/schemas.ts';

const TAGS = ['webhooks'];
const SUPERADMIN = ['superadmin'] as const;
/** Processors' events are small; the signature covers every byte, so the body is kept whole up to this size. */
const WEBHOOK_BODY_LIMIT = 1024 * 1024;

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Incoming webhooks (docs/sources.md, seed 000): the signed receiver, and the operators' list and replay. */
export function webhooksRoutes(app: App, deps: AppDeps): void {
  const webhooks: WebhookDeps = { db: deps.db, metrics: deps.metrics, config: deps.config };
  // Its own plugin scope: the signature covers the exact bytes, so only this route keeps the raw body and
  // parses the JSON itself (a malformed body must still be verified, stored as failed and answered 400).
  void app.register(async (scope: App) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
      (_r, body, done) => done(null, body),
    );
    scope.post(
      '/v1/webhooks/:provider',
      {
        config: { access: 'public' },
        bodyLimit: WEBHOOK_BODY_LIMIT,
        schema: {
          tags: TAGS,
          operationId: 'receiveProcessorWebhook',
          summary: 'Receive a signed event from a processor',
          description:
            'Signed: `X-Signature: sha256=<hex>` = HMAC-SHA256 over ' +
            '`ts:<X-Timestamp>\\nnonce:<X-Nonce>\\nbody_sha256:<hex sha256 of the raw body>`, with X-Timestamp in ' +
            'epoch seconds (at most WEBHOOK_MAX_SKEW_SECS away) and a single-use X-Nonce. The body is a JSON ' +
            'object with a string `type` and optionally `id`. Stored first, answered 202, processed afterwards ' +
            'with retries. Failures: 401 sig_missing | sig_ts_invalid | sig_skew | sig_mismatch | sig_replay; ' +
            '400 malformed_webhook (stored as failed); 503 webhooks_disabled.',
          params: ProviderParams,
          response: { 202: WebhookAccepted, ...problems(400, 401, 413, 415, 503) },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const accepted = await receiveWebhook(webhooks, {
          provider: request.params.provider,
          providerHeader: header(request.headers['x-provider']),
          headers: {
            signature: header(request.headers['x-signature']),
            timestamp: header(request.headers['x-timestamp']),
            nonce: header(request.headers['x-nonce']),
          },
          rawBody: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
        });
        return reply.code(202).send(accepted);
      },
    );
  });

  app.get(
    '/v1/webhooks/events',
    {
      config: { access: SUPERADMIN },
      schema: {
        tags: TAGS,
        operationId: 'listWebhookEvents',
        summary: 'Incoming webhook events, newest first (superadmin)',
        description: 'Filter by `status` (e.g. `failed`) and `provider`.',
        querystring: WebhookEventQuery,
        response: { 200: Page(WebhookEventSchema), ...problems(400, 401, 403) },
      },
    },
    (request) => listEvents(deps.db, request.query),
  );

  app.post(
    '/v1/webhooks/events/:id/replay',
    {
      config: { access: SUPERADMIN },
      schema: {
        tags: TAGS,
        operationId: 'replayWebhookEvent',
        summary: 'Process a failed or ignored event again (superadmin)',
        description:
          'Puts the event back in the queue (status received, attempts 0, due now). Audited as `webhook.replayed`.',
        params: EventIdParams,
        response: { 200: WebhookEventSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    (request) => replayEvent(deps.db, request.ctx, request.params.id),
  );
}

import { rolesAtLeast, TENANT_ROLES } from '@novapos/domain';
import { Type } from 'typebox';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { problems, Uuid } from '../../platform/http/schemas.ts';
import { reconciliationRoutes } from './jobs/reconcile.routes.ts';
import { paymentsDepsOf } from './payments.deps.ts';
import { captureIntent, confirmIntent, refundIntent, voidIntent } from './payments.moves.ts';
import { CaptureBody, ConfirmBody, CreateIntentBody, IntentSchema, RefundBody, VoidBody } from './payments.schemas.ts';
import { createIntent, getIntent } from './payments.service.ts';

const TAGS = ['payments'];
const CASHIERS = TENANT_ROLES;
const MANAGERS = rolesAtLeast('manager');
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
// 402 declined, 409 wrong state, 422 amounts, 503 processor unreachable or payments off.
const MOVE_PROBLEMS = problems(400, 401, 402, 403, 404, 409, 415, 422, 503);

/** /v1/payment_intents: card payments through the processor gateway (docs/payments.md). */
export function paymentsRoutes(app: App, deps: AppDeps): void {
  const payments = paymentsDepsOf(deps, app.log);
  reconciliationRoutes(app, payments, deps.metrics.registry);

  app.post(
    '/v1/payment_intents',
    {
      config: { access: CASHIERS, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'createPaymentIntent',
        summary: 'Create a payment intent (Idempotency-Key is stored on it: unique per tenant)',
        body: CreateIntentBody,
        response: { 200: IntentSchema, 201: IntentSchema, ...problems(400, 401, 403, 404, 409, 415, 422) },
      },
    },
    async (request, reply) => {
      const header = request.headers['idempotency-key'];
      const key = typeof header === 'string' ? header : undefined;
      const { intent, created } = await createIntent(payments, request.ctx, request.body, key);
      return reply
        .code(created ? 201 : 200)
        .header('location', `/v1/payment_intents/${intent.id}`)
        .send(intent);
    },
  );

  app.get(
    '/v1/payment_intents/:id',
    {
      config: { access: CASHIERS },
      schema: {
        tags: TAGS,
        operationId: 'getPaymentIntent',
        summary: 'A payment intent with its refunds',
        params: IdParams,
        response: { 200: IntentSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => getIntent(payments, request.ctx, request.params.id),
  );

  app.post(
    '/v1/payment_intents/:id/confirm',
    {
      config: { access: CASHIERS, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'confirmPaymentIntent',
        summary: 'Authorize the card token (and capture, with capture_method automatic)',
        params: IdParams,
        body: ConfirmBody,
        response: { 200: IntentSchema, ...MOVE_PROBLEMS },
      },
    },
    (request) => confirmIntent(payments, request.ctx, request.params.id, request.body.card_token),
  );

  app.post(
    '/v1/payment_intents/:id/capture',
    {
      config: { access: CASHIERS, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'capturePaymentIntent',
        summary: 'Capture an authorized intent: all of it, or amount_cents (at most what was authorized)',
        params: IdParams,
        body: CaptureBody,
        response: { 200: IntentSchema, ...MOVE_PROBLEMS },
      },
    },
    (request) => captureIntent(payments, request.ctx, request.params.id, request.body.amount_cents),
  );

  app.post(
    '/v1/payment_intents/:id/void',
    {
      config: { access: MANAGERS, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'voidPaymentIntent',
        summary: 'Void an authorization that was not captured (manager or above)',
        params: IdParams,
        body: VoidBody,
        response: { 200: IntentSchema, ...MOVE_PROBLEMS },
      },
    },
    (request) => voidIntent(payments, request.ctx, request.params.id, request.body.reason),
  );

  app.post(
    '/v1/payment_intents/:id/refund',
    {
      config: { access: MANAGERS, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'refundPaymentIntent',
        summary: 'Refund a captured intent, in part or in full (manager or above)',
        params: IdParams,
        body: RefundBody,
        response: { 200: IntentSchema, ...MOVE_PROBLEMS },
      },
    },
    (request) => refundIntent(payments, request.ctx, request.params.id, request.body),
  );
}

import { rolesAtLeast, TENANT_ROLES } from '@novapos/domain';
import { Type } from 'typebox';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { Page, problems, Uuid } from '../../platform/http/schemas.ts';
import { businessMetrics } from '../monitoring/index.ts';
import { paymentsDepsOf } from '../payments/index.ts';
import { listOrders } from './orders.list.ts';
import {
  AddTendersBody,
  CancelBody,
  ComputeBody,
  ComputeResult,
  CreateOrderBody,
  CreateOrderBySkuBody,
  ExplainQuery,
  OrderListQuery,
  OrderSchema,
  VoidBody,
  type OrderDto,
} from './orders.schemas.ts';
import { cancelOrder } from './orders.cancel.ts';
import { payOrder } from './orders.pay.ts';
import { computeOrder, getOrder, placeOrder, type PlaceOrderDeps } from './orders.service.ts';
import { voidOrder } from './orders.void.ts';
import { offlineSalesRoutes } from './offline-sales.routes.ts';
import { placeOfflineOrder, type OfflineOrderInput } from './orders.offline.ts';
import { ReplayConflictProblem } from './replay-diff.schema.ts';

const TAGS = ['orders'];
const SELLERS = TENANT_ROLES;
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
// 402: a card tender was declined; 503: the card processor is unreachable or card payments are off.
const CREATE_PROBLEMS = problems(400, 401, 402, 403, 404, 409, 413, 415, 422, 503);
// A sale's 409 documents the replay diff a refused offline sale carries (docs/pos.md "Replay").
const SALE_PROBLEMS = {
  ...CREATE_PROBLEMS,
  409: {
    description: 'A conflict: with code replay_conflict (a sale taken offline), `diff` says what differs',
    content: { 'application/problem+json': { schema: Type.Ref('ReplayConflictProblem') } },
  },
};

/** /v1/orders: compute, create (by SKU or by id), tenders, void, read. */
export function ordersRoutes(app: App, deps: AppDeps): void {
  const orders: PlaceOrderDeps = {
    db: deps.db,
    config: deps.config,
    secrets: deps.secrets,
    payments: paymentsDepsOf(deps, app.log),
  };
  app.addSchema(ReplayConflictProblem);
  // Business counters (docs/operations.md): one call each, after the service's transaction has committed.
  const business = businessMetrics(deps.metrics.registry, deps.config.monitoring.tenantLabelLimit);
  const counted = (order: OrderDto, tenantId: string | undefined): OrderDto => {
    if (order.status === 'completed' && tenantId !== undefined) {
      business.orderCompleted(tenantId, order.currency, order.total_cents);
    }
    return order;
  };

  app.post(
    '/v1/orders/compute',
    {
      config: { access: SELLERS },
      schema: {
        tags: TAGS,
        operationId: 'computeOrder',
        summary: 'Price a cart without saving it (?explain=true adds how each amount was rounded)',
        querystring: ExplainQuery,
        body: ComputeBody,
        response: { 200: ComputeResult, ...problems(400, 401, 403, 413, 415, 422) },
      },
    },
    (request) =>
      computeOrder(orders, request.ctx, request.body, {
        headers: request.headers,
        explain: request.query.explain === true,
      }),
  );

  for (const [url, body, operationId, summary] of [
    [
      '/v1/orders/sku',
      CreateOrderBySkuBody,
      'createOrderBySku',
      'Create an order from SKUs, with tenders in the same call or later',
    ],
    ['/v1/orders', CreateOrderBody, 'createOrder', 'Create an order from product or variant ids'],
  ] as const) {
    app.post(
      url,
      {
        config: { access: SELLERS, idempotent: true },
        schema: {
          tags: TAGS,
          operationId,
          summary,
          body,
          response: { 200: OrderSchema, 201: OrderSchema, ...SALE_PROBLEMS },
        },
      },
      async (request, reply) => {
        const body = request.body;
        // A sale a till queued offline is admitted by its device's signature and checked against its price lock.
        const { order, replayed } =
          body.offline === undefined
            ? await placeOrder(orders, request.ctx, body, request.headers)
            : await placeOfflineOrder(orders, request.ctx, body as OfflineOrderInput, request.headers);
        if (!replayed) counted(order, request.ctx.tenantId);
        return reply
          .code(replayed ? 200 : 201)
          .header('location', `/v1/orders/${order.id}`)
          .send(order);
      },
    );
  }

  app.post(
    '/v1/orders/:id/tenders',
    {
      config: { access: SELLERS, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'payOrder',
        summary: 'Pay an open (parked) order; tenders must cover what is left',
        params: IdParams,
        body: AddTendersBody,
        response: { 200: OrderSchema, ...CREATE_PROBLEMS },
      },
    },
    async (request) =>
      counted(await payOrder(orders, request.ctx, request.params.id, request.body), request.ctx.tenantId),
  );

  app.post(
    '/v1/orders/:id/cancel',
    {
      config: { access: SELLERS, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'cancelOrder',
        summary:
          'Cancel a sale in progress (an open order): its cash is recorded as given back, its cards voided or ' +
          'refunded; audited; cancelling a cancelled order answers it again',
        params: IdParams,
        body: CancelBody,
        response: { 200: OrderSchema, ...problems(400, 401, 403, 404, 409, 503) },
      },
    },
    (request) => cancelOrder(orders, request.ctx, request.params.id, request.body.reason),
  );

  app.post(
    '/v1/orders/:id/void',
    {
      config: { access: rolesAtLeast('manager'), idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'voidOrder',
        summary:
          'Void an order: stock goes back, its tenders are given back (cards voided or refunded through the ' +
          'processor), the void is audited (manager or above)',
        params: IdParams,
        body: VoidBody,
        // 503: the processor could not give a card back; the order is voided, and the void sent again retries it.
        response: { 200: OrderSchema, ...problems(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const order = await voidOrder(orders, request.ctx, request.params.id, request.body.reason);
      if (request.ctx.tenantId !== undefined) business.orderVoided(request.ctx.tenantId);
      return order;
    },
  );

  app.get(
    '/v1/orders/:id',
    {
      config: { access: SELLERS },
      schema: {
        tags: TAGS,
        operationId: 'getOrder',
        summary: 'An order with its lines and tenders',
        params: IdParams,
        response: { 200: OrderSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => getOrder(deps.db, request.ctx, request.params.id),
  );

  app.get(
    '/v1/orders',
    {
      config: { access: SELLERS },
      schema: {
        tags: TAGS,
        operationId: 'listOrders',
        summary: 'Orders, newest first (filters: status, register, location, time range)',
        querystring: OrderListQuery,
        response: { 200: Page(OrderSchema), ...problems(400, 401, 403) },
      },
    },
    (request) => listOrders(orders, request.ctx, request.query),
  );

  offlineSalesRoutes(app, deps, orders);
}

import { rolesAtLeast, TENANT_ROLES } from '@novapos/domain';
import { Type } from 'typebox';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { problems, Uuid } from '../../platform/http/schemas.ts';
import { registerAttentionGauge } from './offline-sales.metrics.ts';
import { attention, cancelOfflineSale, markOfflineCardReviewed, writeOffGap } from './orders.attention.ts';
import type { PlaceOrderDeps } from './orders.deps.ts';
import {
  Attention,
  CancelledOfflineSale,
  CancelOfflineSaleBody,
  ReviewedCardSale,
  WriteOffGapBody,
  WrittenOffGap,
} from './replay.schemas.ts';

const TAGS = ['pos'];
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/** The replay's own routes (docs/pos.md "Replay"): cancelling a refused offline sale, and what needs attention. */
export function offlineSalesRoutes(app: App, deps: AppDeps, orders: PlaceOrderDeps): void {
  app.addSchema(Attention);
  registerAttentionGauge(deps.metrics.registry, deps.db);

  app.post(
    '/v1/pos/offline-sales/:id/cancel',
    {
      config: { access: TENANT_ROLES, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'cancelOfflineSale',
        summary: 'Cancel a sale taken offline that the server refused, with what was refunded (audited)',
        params: IdParams,
        body: CancelOfflineSaleBody,
        response: { 200: CancelledOfflineSale, ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    (request) => cancelOfflineSale(orders, request.ctx, request.params.id, request.body),
  );

  app.get(
    '/v1/pos/attention',
    {
      config: { access: rolesAtLeast('manager') },
      schema: {
        tags: TAGS,
        operationId: 'getPosAttention',
        summary: 'Sales needing attention: sequence gaps, refused offline sales, offline cards to review',
        response: { 200: Attention, ...problems(401, 403) },
      },
    },
    (request) => attention(deps.db, request.ctx),
  );

  app.post(
    '/v1/pos/attention/gaps/write-off',
    {
      config: { access: rolesAtLeast('manager'), idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'writeOffOfflineGap',
        summary: 'Write off missing offline sales whose till lost them: the gap closes (audited, with the reason)',
        body: WriteOffGapBody,
        response: { 200: WrittenOffGap, ...problems(400, 401, 403, 404, 413, 415) },
      },
    },
    (request) => writeOffGap(deps.db, request.ctx, request.body),
  );

  app.post(
    '/v1/pos/attention/review/:id/checked',
    {
      config: { access: rolesAtLeast('manager') },
      schema: {
        tags: TAGS,
        operationId: 'markOfflineCardReviewed',
        summary: 'Mark an offline card sale as checked against the terminal report (audited)',
        params: IdParams,
        response: { 200: ReviewedCardSale, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => markOfflineCardReviewed(deps.db, request.ctx, request.params.id),
  );
}

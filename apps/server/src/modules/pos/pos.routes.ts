import { rolesAtLeast } from '@novapos/domain';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { problems } from '../../platform/http/schemas.ts';
import {
  DiscountApprovalBody,
  DiscountApprovalResult,
  StockApprovalBody,
  StockApprovalResult,
  TillContext,
  TillContextQuery,
} from './pos.schemas.ts';
import { approveDiscount, approveOversell, tillContext } from './pos.service.ts';

const TAGS = ['pos'];
const SELLERS = rolesAtLeast('cashier');

/** /v1/pos: what the till needs beyond the catalog and orders (docs/pos.md). */
export function posRoutes(app: App, deps: AppDeps): void {
  app.addSchema(TillContext);
  app.addSchema(DiscountApprovalResult);
  app.addSchema(StockApprovalResult);

  app.get(
    '/v1/pos/context',
    {
      config: { access: SELLERS },
      schema: {
        tags: TAGS,
        operationId: 'getPosContext',
        summary: "A register's pricing context (tax rate, money settings) and the till's limits",
        querystring: TillContextQuery,
        response: { 200: TillContext, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => tillContext(deps, request.ctx, request.query.register_id),
  );

  app.post(
    '/v1/pos/discount-approvals',
    {
      config: { access: SELLERS },
      schema: {
        tags: TAGS,
        operationId: 'approveDiscount',
        summary: "A manager's PIN approves a discount above the cashier's limit for one sale (audited)",
        body: DiscountApprovalBody,
        response: { 201: DiscountApprovalResult, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => reply.code(201).send(await approveDiscount(deps, request.ctx, request.body)),
  );

  app.post(
    '/v1/pos/stock-approvals',
    {
      config: { access: SELLERS },
      schema: {
        tags: TAGS,
        operationId: 'approveOversell',
        summary: "A manager's PIN approves selling one sale beyond stock under the blocking policy (audited)",
        body: StockApprovalBody,
        response: { 201: StockApprovalResult, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => reply.code(201).send(await approveOversell(deps, request.ctx, request.body)),
  );
}

import { rolesAtLeast } from '@novapos/domain';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { Page, problems } from '../../platform/http/schemas.ts';
import {
  AdjustmentBody,
  AdjustmentResultSchema,
  InventoryItemSchema,
  InventoryListQuery,
  MovementListQuery,
  MovementSchema,
  StockLevelSchema,
  ThresholdBody,
} from './inventory.schemas.ts';
import * as inventory from './inventory.service.ts';

const TAGS = ['inventory'];
/** Everyone at a till may look stock up; changing it or reading its history is a manager's job. */
const READERS = rolesAtLeast('cashier');
const MANAGERS = rolesAtLeast('manager');

/** /v1/inventory: stock levels, their ledger, adjustments and low-stock thresholds. */
export function inventoryRoutes(app: App, deps: AppDeps): void {
  app.post(
    '/v1/inventory/adjustments',
    {
      config: { access: MANAGERS, idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'adjustStock',
        summary: 'Adjust stock at a location (receipts, counts, damage, opening stock)',
        description:
          'Each line names its variant by `sku` or `variant_id`. Under the tenant policy `block`, a line that ' +
          'would take stock below zero fails the whole adjustment with 409 `insufficient_stock`.',
        body: AdjustmentBody,
        response: { 201: AdjustmentResultSchema, ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await inventory.adjustStock(deps.db, request.ctx, request.body)),
  );

  app.get(
    '/v1/inventory',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        operationId: 'listStockLevels',
        summary: 'List stock levels (of the locations the caller works at), by location and SKU',
        querystring: InventoryListQuery,
        response: { 200: Page(InventoryItemSchema), ...problems(400, 401, 403, 404) },
      },
    },
    (request) => inventory.listInventory(deps.db, request.ctx, request.query),
  );

  app.get(
    '/v1/inventory/movements',
    {
      config: { access: MANAGERS },
      schema: {
        tags: TAGS,
        operationId: 'listStockMovements',
        summary: 'The stock ledger, newest first',
        querystring: MovementListQuery,
        response: { 200: Page(MovementSchema), ...problems(400, 401, 403, 404) },
      },
    },
    (request) => inventory.listMovements(deps.db, request.ctx, request.query),
  );

  app.put(
    '/v1/inventory/thresholds',
    {
      config: { access: MANAGERS },
      schema: {
        tags: TAGS,
        operationId: 'setStockThreshold',
        summary: 'Set or remove the low-stock threshold of a variant at a location',
        body: ThresholdBody,
        response: { 200: StockLevelSchema, ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    (request) => inventory.setThreshold(deps.db, request.ctx, request.body),
  );
}

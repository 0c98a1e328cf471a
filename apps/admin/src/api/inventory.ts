import { api, ok } from './client.ts';
import type { BodyOf, ItemOf, QueryOf, ResultOf } from './types.ts';

export type StockItem = ItemOf<'/v1/inventory'>;
export type Movement = ItemOf<'/v1/inventory/movements'>;
export type Adjustment = BodyOf<'/v1/inventory/adjustments', 'post'>;
export type AdjustmentReason = Adjustment['lines'][number]['reason'];

export function listStock(query: QueryOf<'/v1/inventory'>): Promise<ResultOf<'/v1/inventory'>> {
  return ok(api.GET('/v1/inventory', { params: { query } }));
}

export function listMovements(query: QueryOf<'/v1/inventory/movements'>): Promise<ResultOf<'/v1/inventory/movements'>> {
  return ok(api.GET('/v1/inventory/movements', { params: { query } }));
}

/** An adjustment is sent once: the key makes a double click or a retry after a timeout harmless. */
export function adjustStock(
  body: Adjustment,
  idempotencyKey: string,
): Promise<ResultOf<'/v1/inventory/adjustments', 'post'>> {
  return ok(api.POST('/v1/inventory/adjustments', { body, headers: { 'idempotency-key': idempotencyKey } }));
}

export function setThreshold(
  body: BodyOf<'/v1/inventory/thresholds', 'put'>,
): Promise<ResultOf<'/v1/inventory/thresholds', 'put'>> {
  return ok(api.PUT('/v1/inventory/thresholds', { body }));
}

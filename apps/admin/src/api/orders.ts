import { api, ok } from './client.ts';
import type { ItemOf, QueryOf, ResultOf } from './types.ts';

export type Order = ItemOf<'/v1/orders'>;
export type OrderQuery = QueryOf<'/v1/orders'>;

export function listOrders(query: OrderQuery): Promise<ResultOf<'/v1/orders'>> {
  return ok(api.GET('/v1/orders', { params: { query } }));
}

export function getOrder(id: string): Promise<Order> {
  return ok(api.GET('/v1/orders/{id}', { params: { path: { id } } }));
}

export function voidOrder(id: string, reason: string): Promise<Order> {
  return ok(api.POST('/v1/orders/{id}/void', { params: { path: { id } }, body: { reason } }));
}

/** The receipt as the till prints it (plain text, 42 columns). */
export async function receiptText(id: string): Promise<string> {
  const result = await api.GET('/v1/orders/{id}/receipt', {
    params: { path: { id }, query: { format: 'text' } },
    parseAs: 'text',
  });
  return ok<string>(Promise.resolve(result));
}

/** The receipt as HTML (the layout e-mailed to customers), for the browser's print dialog. */
export async function receiptHtml(id: string): Promise<string> {
  const result = await api.GET('/v1/orders/{id}/receipt', {
    params: { path: { id }, query: { format: 'html' } },
    parseAs: 'text',
  });
  return ok<string>(Promise.resolve(result));
}

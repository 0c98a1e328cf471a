import { api, call, ok } from './api.ts';
import type { Order, OrderBody } from './types.ts';

/**
 * Sends one sale. The Idempotency-Key is the sale's client id (or `<id>.<n>` after the server answered it n times
 * without completing it), so a resend (a replay from the queue, an answer lost on the way) can only ever find the
 * first order.
 */
export function createOrder(body: OrderBody, idempotencyKey: string): Promise<Order> {
  return call(() => ok(api.POST('/v1/orders', { body, headers: { 'Idempotency-Key': idempotencyKey } })));
}

/** The order the server holds under a sale's id. */
export function getOrder(id: string): Promise<Order> {
  return call(() => ok(api.GET('/v1/orders/{id}', { params: { path: { id } } })));
}

/** Pays what is left of the sale's open order (tenders already taken stay on it). */
export function payOrder(id: string, tenders: OrderBody['tenders'], idempotencyKey: string): Promise<Order> {
  return call(() =>
    ok(
      api.POST('/v1/orders/{id}/tenders', {
        params: { path: { id } },
        body: { tenders: tenders ?? [] },
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    ),
  );
}

/** Cancels the sale's open order: the server records its cash as given back and voids or refunds its cards. */
export function cancelOrder(id: string, reason: string): Promise<Order> {
  return call(() =>
    ok(
      api.POST('/v1/orders/{id}/cancel', {
        params: { path: { id } },
        body: { reason },
        headers: { 'Idempotency-Key': `${id}.cancel` },
      }),
    ),
  );
}

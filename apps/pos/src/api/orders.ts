import { api, call, ok } from './api.ts';
import type { Order, OrderBody } from './types.ts';

/**
 * Sends one sale. The Idempotency-Key is the sale's client id, so a resend (a replay from the queue, an answer lost
 * on the way) can only ever find the first order.
 */
export function createOrder(body: OrderBody, idempotencyKey: string): Promise<Order> {
  return call(() => ok(api.POST('/v1/orders', { body, headers: { 'Idempotency-Key': idempotencyKey } })));
}

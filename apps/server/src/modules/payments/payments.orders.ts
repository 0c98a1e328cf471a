import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../../app.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { HttpGateway } from './gateway/http-gateway.ts';
import { paymentMetrics } from './payments.metrics.ts';
import type { PaymentsDeps } from './payments.service.ts';

/**
 * The payments dependencies of another module (orders' card tenders): the same gateway settings and counters as
 * /v1/payment_intents. Undefined gateway when GATEWAY_URL is unset (card tenders: 503 payments_disabled).
 */
export function paymentsDepsOf(deps: AppDeps, log: FastifyBaseLogger): PaymentsDeps {
  const url = deps.config.payments.gatewayUrl;
  return {
    db: deps.db,
    config: deps.config,
    metrics: paymentMetrics(deps.metrics.registry),
    gateway:
      url === undefined
        ? undefined
        : new HttpGateway({
            baseUrl: url,
            timeoutMs: deps.config.payments.gatewayTimeoutMs,
            // Only the path (with the provider reference) is logged: bodies carry card tokens.
            onRetry: (info) => log.warn(info, 'card processor call failed; retrying with the same key'),
          }),
  };
}

/**
 * Links intents to the order they pay, inside the order's own transaction. Intents of a new order are created
 * before the order row exists (the processor is called outside the order's transaction), so they start unlinked.
 */
export async function linkIntentsToOrder(tx: Queryable, intentIds: readonly string[], orderId: string): Promise<void> {
  if (intentIds.length === 0) return;
  await tx.query('UPDATE payment_intents SET order_id = $2, updated_at = now() WHERE id = ANY($1::uuid[])', [
    intentIds,
    orderId,
  ]);
}

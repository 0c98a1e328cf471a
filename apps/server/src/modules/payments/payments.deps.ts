import type { BaseLogger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { HttpGateway } from './gateway/http-gateway.ts';
import { paymentMetrics } from './payments.metrics.ts';
import type { PaymentsDeps } from './payments.service.ts';

/**
 * The payments dependencies, built from configuration: the one gateway adapter (undefined when GATEWAY_URL is
 * unset: card payments answer 503 payments_disabled) and the payment counters of the registry. Routes, card
 * tenders, jobs and processor events all build them here, so they share settings and counters.
 */
export function paymentsDepsFor(input: {
  db: Database;
  config: Config;
  registry: Registry;
  logger: Pick<BaseLogger, 'warn'>;
}): PaymentsDeps {
  const url = input.config.payments.gatewayUrl;
  return {
    db: input.db,
    config: input.config,
    metrics: paymentMetrics(input.registry, input.config.monitoring.tenantLabelLimit),
    gateway:
      url === undefined
        ? undefined
        : new HttpGateway({
            baseUrl: url,
            timeoutMs: input.config.payments.gatewayTimeoutMs,
            // Only the path (with the provider reference) is logged: bodies carry card tokens.
            onRetry: (info) => input.logger.warn(info, 'card processor call failed; retrying with the same key'),
          }),
  };
}

/** The payments dependencies of a request-serving module, built by its routes from the app's dependencies. */
export function paymentsDepsOf(
  deps: { readonly db: Database; readonly config: Config; readonly metrics: Pick<Metrics, 'registry'> },
  log: Pick<BaseLogger, 'warn'>,
): PaymentsDeps {
  return paymentsDepsFor({ db: deps.db, config: deps.config, registry: deps.metrics.registry, logger: log });
}

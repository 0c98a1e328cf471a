import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../../../platform/config.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { JobDefinition } from '../../../platform/jobs/scheduler.ts';
import { HttpGateway } from '../gateway/http-gateway.ts';
import { paymentMetrics } from '../payments.metrics.ts';
import type { PaymentsDeps } from '../payments.service.ts';
import { runAutoVoid } from './auto-void.ts';
import { reconcileDay, yesterdayUtc } from './reconcile.ts';

export { registerPaymentWebhookHandlers, applyProcessorMove } from './processor-events.ts';
export { reconcileDay, reconciliationDriftGauge } from './reconcile.ts';
export { runAutoVoid } from './auto-void.ts';

/**
 * The payments dependencies for work outside a request (jobs, processor events): the same gateway adapter the
 * routes use, built from configuration.
 */
export function paymentsDepsFor(input: {
  db: Database;
  config: Config;
  registry: Registry;
  logger: Pick<Logger, 'warn'>;
}): PaymentsDeps {
  const url = input.config.payments.gatewayUrl;
  return {
    db: input.db,
    config: input.config,
    metrics: paymentMetrics(input.registry),
    gateway:
      url === undefined
        ? undefined
        : new HttpGateway({
            baseUrl: url,
            timeoutMs: input.config.payments.gatewayTimeoutMs,
            onRetry: (info) => input.logger.warn(info, 'card processor call failed; retrying with the same key'),
          }),
  };
}

/**
 * The scheduled jobs of payments: `payments.auto_void` and `payments.reconcile`. Without GATEWAY_URL there is no
 * card payment to void or reconcile, so there are no jobs.
 */
export function paymentJobs(deps: PaymentsDeps, logger: Pick<Logger, 'info' | 'warn'>): JobDefinition[] {
  if (deps.gateway === undefined) return [];
  return [
    {
      name: 'payments.auto_void',
      schedule: deps.config.jobs.autoVoidSchedule,
      run: async () => {
        const counts = await runAutoVoid(deps, logger);
        if (counts.voided + counts.captured + counts.failed > 0)
          logger.info({ job: 'payments.auto_void', ...counts }, 'auto void');
      },
    },
    {
      name: 'payments.reconcile',
      schedule: deps.config.jobs.reconcileSchedule,
      run: async ({ scheduledFor }) => {
        const result = await reconcileDay(deps, yesterdayUtc(scheduledFor));
        const log = { job: 'payments.reconcile', date: result.date, matched: result.matched, drift: result.drift };
        if (result.drift > 0) logger.warn(log, 'settlement drift');
        else logger.info(log, 'settlement reconciled');
      },
    },
  ];
}

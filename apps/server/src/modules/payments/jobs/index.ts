import type { Logger } from 'pino';
import type { PaymentsDeps } from '../payments.service.ts';
import type { ScheduleDefinition } from '../../../platform/jobs/index.ts';
import { runAutoVoid } from './auto-void.ts';
import { reconcileDay, yesterdayUtc } from './reconcile.ts';

export { registerPaymentWebhookHandlers, applyProcessorMove } from './processor-events.ts';
export { reconcileDay, reconciliationDriftGauge } from './reconcile.ts';
export { runAutoVoid } from './auto-void.ts';
export { paymentsDepsFor } from '../payments.deps.ts';

/**
 * The scheduled jobs of payments: `payments.auto_void` and `payments.reconcile`, cron schedules of the one job
 * queue (each slot runs once across every server and worker). Without GATEWAY_URL there is no card payment to void
 * or reconcile, so there are no jobs. A failed reconciliation is tried twice more (the processor may be briefly
 * down), then is a dead letter; a failed auto-void is left to the next minute's run.
 */
export function paymentJobs(deps: PaymentsDeps, logger: Pick<Logger, 'info' | 'warn'>): ScheduleDefinition[] {
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
      maxAttempts: 3,
      run: async ({ scheduledFor }) => {
        const result = await reconcileDay(deps, yesterdayUtc(scheduledFor));
        const log = { job: 'payments.reconcile', date: result.date, matched: result.matched, drift: result.drift };
        if (result.drift > 0) logger.warn(log, 'settlement drift');
        else logger.info(log, 'settlement reconciled');
      },
    },
  ];
}

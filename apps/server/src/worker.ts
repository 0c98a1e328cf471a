import { pino } from 'pino';
import type { Config } from './platform/config.ts';
import { openDatabaseTarget } from './platform/db/connect.ts';
import { createDatabase } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';
import { createEvents } from './platform/events/index.ts';
import { Scheduler } from './platform/jobs/scheduler.ts';
import { loggerOptions } from './platform/logger.ts';
import { createMetrics } from './platform/metrics.ts';
import { createDeliveryWorker, subscribeOutgoingWebhooks } from './modules/hooks/index.ts';
import { paymentJobs, paymentsDepsFor, registerPaymentWebhookHandlers } from './modules/payments/index.ts';
import { createWebhookProcessor } from './modules/webhooks/index.ts';
import { backupJobs } from './modules/backups/index.ts';

/** A running `novapos worker`. */
export interface RunningWorker {
  stop(): Promise<void>;
}

/**
 * `novapos worker`: the background work of a server without HTTP — the scheduled jobs, the outbox relay, outgoing
 * webhook deliveries and incoming processor events. Any number may run beside the servers: jobs are claimed per
 * slot in `job_runs`, the rest is claimed row by row with `FOR UPDATE SKIP LOCKED`. With the embedded database it
 * shares the running server's cluster. Servers keep running jobs unless started with JOBS_IN_SERVER=false.
 */
export async function startWorker(config: Config): Promise<RunningWorker> {
  const logger = pino(loggerOptions(config)).child({ component: 'worker' });
  const target = await openDatabaseTarget(config, { shareRunning: true });
  const db = createDatabase({
    ownerUrl: target.ownerUrl,
    appUrl: config.database.appUrl,
    poolMax: config.database.poolMax,
  });
  const stops: (() => Promise<void>)[] = [];
  try {
    await migrate(db.system);
    const metrics = createMetrics();
    const events = await createEvents({ config, db, metrics, logger });
    stops.unshift(() => events.close());
    await subscribeOutgoingWebhooks(events.bus, { db });
    events.start();
    const deliveries = createDeliveryWorker({
      db,
      logger,
      metrics,
      allowPrivateUrls: config.webhooks.allowPrivateUrls,
    });
    deliveries.start();
    stops.unshift(() => deliveries.stop());
    const payments = paymentsDepsFor({ db, config, registry: metrics.registry, logger });
    const offHandlers = registerPaymentWebhookHandlers(payments, logger);
    const incoming = createWebhookProcessor({ db, logger, metrics });
    incoming.start();
    stops.unshift(async () => {
      await incoming.stop();
      offHandlers();
    });
    const scheduler = new Scheduler({
      db,
      logger,
      jobs: [...paymentJobs(payments, logger), ...backupJobs({ db, config, logger })],
    });
    scheduler.start();
    stops.unshift(() => scheduler.stop());
    logger.info('NovaPOS worker started');
  } catch (err) {
    for (const stop of stops) await stop();
    await db.close();
    await target.release();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        for (const stop of stops) await stop();
        await db.close();
        await target.release();
        logger.info('worker stopped');
      })()),
  };
}

import type { Logger } from 'pino';
import type { Config } from './platform/config.ts';
import type { Database } from './platform/db/database.ts';
import { createEvents, type Events } from './platform/events/index.ts';
import { housekeepingSchedules } from './platform/housekeeping.ts';
import { JobQueue, registerJobGauges } from './platform/jobs/index.ts';
import type { Metrics } from './platform/metrics.ts';
import { authSchedules } from './modules/auth/index.ts';
import { backupJobs } from './modules/backups/index.ts';
import { createDeliveryWorker, subscribeOutgoingWebhooks } from './modules/hooks/index.ts';
import { registerStuckOrderGauges, watchdogSchedules } from './modules/monitoring/index.ts';
import { paymentJobs, paymentsDepsFor, registerPaymentWebhookHandlers } from './modules/payments/index.ts';
import { createWebhookProcessor } from './modules/webhooks/index.ts';

/** The background work of one process, running. */
export interface Background {
  /** The bus and the outbox relay (for /health and the tests). */
  readonly events: Events;
  /** The one job queue: every module's jobs and schedules. */
  readonly queue: JobQueue;
  /** Publishes what the last requests wrote, then stops the queue (after its jobs in hand), the relay and the bus. */
  stop(): Promise<void>;
}

export interface BackgroundOptions {
  readonly config: Config;
  readonly db: Database;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Run the cron schedules here (`novapos worker`: always; `novapos serve`: unless JOBS_IN_SERVER=false). */
  readonly runSchedules: boolean;
}

/**
 * Starts everything a process does besides HTTP, the same for `novapos serve` and `novapos worker`: the outbox
 * relay feeding the event bus (with its consumers subscribed first), and the one job queue with every module's
 * work — outgoing webhook deliveries, incoming processor events, and the schedules (housekeeping, auth's
 * refresh-token purge, payments' auto-void and reconciliation, backups, the stuck-order watchdog). Any number of processes may run it: the
 * relay claims rows with FOR UPDATE SKIP LOCKED, the queue locks each job, and each schedule slot is enqueued once.
 */
export async function startBackground(options: BackgroundOptions): Promise<Background> {
  const { config, db, logger, metrics } = options;
  const events = await createEvents({ config, db, metrics, logger });
  let offHandlers: (() => void) | undefined;
  try {
    // Consumers subscribe before the relay starts: the in-process bus hands an event only to current subscribers.
    await subscribeOutgoingWebhooks(events.bus, { db });
    events.start();
    const deliveries = createDeliveryWorker({
      db,
      logger,
      metrics,
      allowPrivateUrls: config.webhooks.allowPrivateUrls,
    });
    // Incoming processor events are stored by the route, then handled by their jobs with retries.
    const payments = paymentsDepsFor({ db, config, registry: metrics.registry, logger });
    offHandlers = registerPaymentWebhookHandlers(payments, logger);
    const incoming = createWebhookProcessor({ db, logger, metrics });
    const queue = new JobQueue({
      db,
      logger,
      registry: metrics.registry,
      runSchedules: options.runSchedules,
      work: [
        deliveries.work,
        incoming.work,
        {
          schedules: [
            ...housekeepingSchedules(db, logger),
            ...authSchedules(db, logger),
            ...paymentJobs(payments, logger),
            ...backupJobs({ db, config, logger }),
            ...watchdogSchedules(
              db.system,
              { schedule: config.jobs.watchdogSchedule, stuckAfterMinutes: config.jobs.stuckAfterMinutes },
              logger,
            ),
          ],
        },
      ],
    });
    await queue.start();
    registerJobGauges(metrics.registry, db.system, (err) =>
      logger.warn({ err: err.message }, 'could not read the job queue figures for /metrics'),
    );
    registerStuckOrderGauges(metrics.registry, db.system, config.jobs.stuckAfterMinutes, (err) =>
      logger.warn({ err: err.message }, 'could not read the stuck-order figures for /metrics'),
    );
    let stopping: Promise<void> | undefined;
    const off = offHandlers;
    return {
      events,
      queue,
      stop: () =>
        (stopping ??= (async () => {
          await events.relay.drain(5000).catch(() => undefined);
          await queue.stop();
          off();
          await events.close();
        })()),
    };
  } catch (err) {
    offHandlers?.();
    await events.close();
    throw err;
  }
}

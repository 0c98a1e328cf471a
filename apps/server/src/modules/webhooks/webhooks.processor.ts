import type { BaseLogger } from 'pino';
import type { Database } from '../../platform/db/database.ts';
import { systemTx } from '../../platform/db/tx.ts';
import { addKeyedJobs, JobQueue, type BackgroundWork, type TaskDefinition } from '../../platform/jobs/index.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { webhookEventsCounter, webhookHandlerFor, type WebhookEvent } from './webhooks.handlers.ts';
import { claimEvent, countWaiting, finishEvent, pruneNonces, scheduleRetry, waitingEvents } from './webhooks.repo.ts';

/** Waits after the 1st, 2nd, … failed attempt; the attempt after the last wait is the final one (8 in all). */
export const DEFAULT_BACKOFF_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];

/** The job that processes one stored event; enqueued by the webhook_events triggers (migration 0017). */
export const PROCESS_TASK = 'webhooks.process';

export interface WebhookProcessorOptions {
  readonly db: Database;
  readonly logger: Pick<BaseLogger, 'debug' | 'info' | 'warn' | 'error'>;
  readonly metrics: Pick<Metrics, 'registry'>;
  /** Back-off schedule; its length + 1 is the number of attempts before an event is `failed`. */
  readonly backoffMs?: readonly number[];
  /** How often a standalone processor (tests) looks for jobs that fell due; the queue's poll interval. */
  readonly pollMs?: number;
  /** Nonces are kept this long after their signed timestamp (must exceed WEBHOOK_MAX_SKEW_SECS). */
  readonly nonceRetentionSeconds?: number;
}

type Outcome = 'processed' | 'ignored' | 'retry' | 'failed';

/**
 * Processes stored webhook events with the handlers of `registerWebhookHandler`, as jobs of the one queue
 * (`webhooks.process`, one per event, on the system pool). Each job locks its event in its own transaction; the
 * handler runs in a savepoint of that transaction: success commits its writes with `processed`; a throw rolls
 * them back and moves the event's next_attempt_at by the back-off, which the trigger turns into the next job;
 * after the last attempt the event is `failed` (operators can replay it). No handler: `ignored`.
 */
export class WebhookProcessor {
  private readonly db: Database;
  private readonly logger: Pick<BaseLogger, 'debug' | 'info' | 'warn' | 'error'>;
  private readonly counter: ReturnType<typeof webhookEventsCounter>;
  private readonly backoffMs: readonly number[];
  private readonly nonceRetentionSeconds: number;
  private readonly queue: JobQueue;
  /** What this processor adds to the process's job queue. */
  readonly work: BackgroundWork;

  constructor(options: WebhookProcessorOptions) {
    this.db = options.db;
    this.logger = options.logger;
    this.counter = webhookEventsCounter(options.metrics.registry);
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.nonceRetentionSeconds = options.nonceRetentionSeconds ?? 2 * 86_400;
    const task: TaskDefinition = {
      name: PROCESS_TASK,
      run: async (payload) => {
        await this.process(String(payload.id));
      },
      recover: async () =>
        addKeyedJobs(
          this.db.system,
          PROCESS_TASK,
          (await waitingEvents(this.db.system)).map((e) => ({ id: e.id, runAt: e.next_attempt_at })),
        ),
    };
    this.work = {
      tasks: [task],
      schedules: [
        {
          name: 'webhooks.prune_nonces',
          schedule: '*/10 * * * *',
          run: async () => {
            await pruneNonces(this.db.system, this.nonceRetentionSeconds);
          },
        },
      ],
    };
    this.queue = new JobQueue({
      db: options.db,
      logger: options.logger,
      registry: options.metrics.registry,
      work: [{ tasks: [task] }],
      ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    });
  }

  /** Runs this processor's jobs on a queue of its own (tests); servers and workers run `work` on theirs. */
  start(): Promise<void> {
    return this.queue.start();
  }

  stop(): Promise<void> {
    return this.queue.stop();
  }

  /**
   * Processes until no event is waiting, including retries scheduled for later (tests, shutdown); rejects after
   * `timeoutMs`.
   */
  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.queue.drain();
      const left = await countWaiting(this.db.system);
      if (left === 0) return;
      if (Date.now() >= deadline) throw new Error(`${left} webhook events still wait after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Processes event `id` if it is due; undefined when it is not (done, not yet due, or another has it). */
  process(id: string): Promise<Outcome | undefined> {
    return systemTx(this.db, async (tx) => {
      const row = await claimEvent(tx, id);
      if (row === undefined) return undefined;
      const attempts = row.attempts + 1;
      const handler = row.event_type === null ? undefined : webhookHandlerFor(row.provider, row.event_type);
      if (handler === undefined || row.payload === null || row.event_type === null) {
        await finishEvent(tx, row.id, 'ignored', attempts, `no handler for ${row.provider} ${row.event_type ?? '?'}`);
        tx.afterCommit(() => this.counter.inc({ provider: row.provider, status: 'ignored' }));
        return 'ignored';
      }
      const event: WebhookEvent = {
        id: row.id,
        provider: row.provider,
        eventType: row.event_type,
        externalId: row.external_id,
        payload: row.payload,
        attempts: row.attempts,
        receivedAt: row.received_at,
      };
      await tx.query('SAVEPOINT webhook_handler');
      try {
        await handler({ tx, db: this.db, logger: this.logger }, event);
        await tx.query('RELEASE SAVEPOINT webhook_handler');
      } catch (err) {
        await tx.query('ROLLBACK TO SAVEPOINT webhook_handler');
        const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
        const delay = this.backoffMs[attempts - 1];
        const log = { eventId: row.id, provider: row.provider, eventType: row.event_type, attempts, err: message };
        if (delay === undefined) {
          await finishEvent(tx, row.id, 'failed', attempts, message);
          tx.afterCommit(() => this.counter.inc({ provider: row.provider, status: 'failed' }));
          this.logger.error(log, 'webhook event failed for good; an operator can replay it');
          return 'failed';
        }
        await scheduleRetry(tx, row.id, attempts, delay, message);
        this.logger.warn({ ...log, retryInMs: delay }, 'webhook handler failed; retrying later');
        return 'retry';
      }
      await finishEvent(tx, row.id, 'processed', attempts, null);
      tx.afterCommit(() => this.counter.inc({ provider: row.provider, status: 'processed' }));
      return 'processed';
    });
  }
}

import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../platform/db/database.ts';
import { systemTx } from '../../platform/db/tx.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { webhookEventsCounter, webhookHandlerFor, webhookSignal, type WebhookEvent } from './webhooks.handlers.ts';
import { claimDueEvent, countWaiting, finishEvent, pruneNonces, scheduleRetry } from './webhooks.repo.ts';

/** Waits after the 1st, 2nd, … failed attempt; the attempt after the last wait is the final one (8 in all). */
export const DEFAULT_BACKOFF_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];

export interface WebhookProcessorOptions {
  readonly db: Database;
  readonly logger: FastifyBaseLogger;
  readonly metrics: Pick<Metrics, 'registry'>;
  /** Back-off schedule; its length + 1 is the number of attempts before an event is `failed`. */
  readonly backoffMs?: readonly number[];
  /** How often to look for events stored by other servers or whose retry came due. */
  readonly pollMs?: number;
  /** Nonces are kept this long after their signed timestamp (must exceed WEBHOOK_MAX_SKEW_SECS). */
  readonly nonceRetentionSeconds?: number;
}

type Outcome = 'processed' | 'ignored' | 'retry' | 'failed';

/**
 * Processes stored webhook events with the handlers of `registerWebhookHandler`, on the system pool. Each event
 * is claimed with `FOR UPDATE SKIP LOCKED` in its own transaction, so several servers can run processors at once
 * and no event is handled by two of them together. The handler runs in a savepoint of that transaction: success
 * commits its writes with `processed`; a throw rolls them back and schedules a retry with back-off, and after
 * the last attempt the event is `failed` (operators can replay it). No handler: `ignored`.
 */
export class WebhookProcessor {
  private readonly db: Database;
  private readonly logger: FastifyBaseLogger;
  private readonly counter: ReturnType<typeof webhookEventsCounter>;
  private readonly backoffMs: readonly number[];
  private readonly pollMs: number;
  private readonly nonceRetentionSeconds: number;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wakeRequested = false;
  private interrupt: (() => void) | undefined;
  private lastPrune = 0;
  private readonly onWake = (): void => {
    this.wake();
  };

  constructor(options: WebhookProcessorOptions) {
    this.db = options.db;
    this.logger = options.logger;
    this.counter = webhookEventsCounter(options.metrics.registry);
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.pollMs = options.pollMs ?? 1000;
    this.nonceRetentionSeconds = options.nonceRetentionSeconds ?? 2 * 86_400;
  }

  /** Starts the loop: woken when this process stores or replays an event, polling for the rest. */
  start(): void {
    if (this.running !== undefined) return;
    this.stopped = false;
    webhookSignal.on('wake', this.onWake);
    this.running = this.loop();
  }

  /** Stops the loop and waits for the event in hand. */
  async stop(): Promise<void> {
    if (this.running === undefined) return;
    this.stopped = true;
    webhookSignal.off('wake', this.onWake);
    this.interrupt?.();
    await this.running;
    this.running = undefined;
  }

  /** Asks for a pass now. */
  wake(): void {
    this.wakeRequested = true;
    this.interrupt?.();
  }

  /**
   * Processes until no event is waiting, including retries scheduled for later (tests, shutdown); rejects after
   * `timeoutMs`.
   */
  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while ((await this.processNext()) !== undefined);
      const left = await countWaiting(this.db.system);
      if (left === 0) return;
      if (Date.now() >= deadline) throw new Error(`${left} webhook events still wait after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Processes the next due event; undefined when none is due. */
  processNext(): Promise<Outcome | undefined> {
    return systemTx(this.db, async (tx) => {
      const row = await claimDueEvent(tx);
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

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.wakeRequested = false;
      try {
        while (!this.isStopped() && (await this.processNext()) !== undefined);
        if (Date.now() - this.lastPrune > 60_000) {
          this.lastPrune = Date.now();
          await pruneNonces(this.db.system, this.nonceRetentionSeconds);
        }
      } catch (err) {
        this.logger.warn({ err: (err as Error).message }, 'webhook processor cannot reach the database; retrying');
      }
      if (this.isStopped()) break;
      await this.sleep(this.pollMs);
    }
  }

  // A method, not a field read: the compiler would otherwise assume it cannot change across an await.
  private isStopped(): boolean {
    return this.stopped;
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.interrupt = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
    });
  }
}

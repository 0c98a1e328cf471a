import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.ts';
import { systemTx } from '../db/tx.ts';
import type { Metrics } from '../metrics.ts';
import { PollLoop } from '../jobs/poll-loop.ts';
import { errorMessage, type EventBus } from './bus.ts';
import { countOutboxBacklog, outboxSignal, type OutboxEvent } from './outbox.ts';
import { isValidTopic } from './topics.ts';

export interface OutboxRelayOptions {
  readonly db: Database;
  readonly bus: EventBus;
  readonly metrics: Metrics;
  readonly logger: FastifyBaseLogger;
  /** Events claimed per transaction. */
  readonly batchSize?: number;
  /** How often to look for events written by other processes, which do not wake this relay. */
  readonly pollMs?: number;
  /** Backoff after a failed publish: doubles from min to max. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

interface OutboxRow {
  id: string;
  tenant_id: string | null;
  topic: string;
  payload: Record<string, unknown>;
  request_id: string | null;
  created_at: Date;
  attempts: number;
}

interface BatchResult {
  readonly claimed: number;
  readonly published: number;
  /** Set when the bus (or the database) failed: the relay backs off. */
  readonly error?: string | undefined;
}

function toEvent(row: OutboxRow): OutboxEvent {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    requestId: row.request_id,
    topic: row.topic,
    payload: row.payload,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * Publishes committed outbox events to the bus, in id order, and marks them published. It runs on the system pool
 * because it crosses tenants. Several relays (one per server) can run at once: each claims its batch with
 * `FOR UPDATE SKIP LOCKED`, so no event is published by two of them at the same time.
 *
 * A failed publish ends the batch (what was published before it is committed), records the error on the event and
 * backs off; the events wait in the outbox until the bus returns. Delivery is at least once: if the relay
 * published but could not record it, the event goes out again, and consumers de-duplicate with `consumeOnce`.
 */
export class OutboxRelay {
  private readonly db: Database;
  private readonly bus: EventBus;
  private readonly metrics: Metrics;
  private readonly logger: FastifyBaseLogger;
  private readonly batchSize: number;
  private readonly loop: PollLoop;
  private failing: string | undefined;

  constructor(options: OutboxRelayOptions) {
    this.db = options.db;
    this.bus = options.bus;
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.batchSize = options.batchSize ?? 100;
    this.loop = new PollLoop({
      pollMs: options.pollMs ?? 1000,
      minBackoffMs: options.minBackoffMs ?? 200,
      maxBackoffMs: options.maxBackoffMs ?? 5000,
      signal: outboxSignal,
      pass: async () => {
        const result = await this.runBatch();
        await this.backlog().catch(() => undefined);
        // A full batch that moved means more may be waiting; anything else waits for a wake-up or the next poll.
        return {
          failed: result.error !== undefined,
          more: result.claimed === this.batchSize && result.published > 0,
        };
      },
    });
  }

  /** Starts the publishing loop; it is woken by commits in this process and polls for the others. */
  start(): void {
    this.loop.start();
  }

  /** Stops the loop and waits for the batch in flight to finish. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Asks for a batch now (new events were committed). */
  wake(): void {
    this.loop.wake();
  }

  /** Why the last batch could not publish; undefined while publishing works. */
  get problem(): string | undefined {
    return this.failing;
  }

  /** Events not yet published, across every tenant; also updates the `outbox_backlog` gauge. */
  async backlog(): Promise<number> {
    const n = await countOutboxBacklog(this.db.system);
    this.metrics.outboxBacklog.set(n);
    return n;
  }

  /** Publishes until the backlog is empty (tests, shutdown); rejects after `timeoutMs`. */
  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.loop.active) await this.runBatch();
      else this.wake();
      const left = await this.backlog();
      if (left === 0) return;
      if (Date.now() >= deadline) throw new Error(`the outbox still holds ${left} events after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** One batch, with the outage logged once when it starts and once when it ends, not on every retry. */
  private async runBatch(): Promise<BatchResult> {
    let result: BatchResult;
    try {
      result = await this.publishBatch();
    } catch (err) {
      result = { claimed: 0, published: 0, error: `outbox: ${errorMessage(err)}` };
    }
    if (result.error !== undefined) {
      this.metrics.outboxPublishFailures.inc({ bus: this.bus.name });
      if (this.failing === undefined) {
        this.logger.warn(
          { err: result.error, bus: this.bus.name },
          'outbox relay cannot publish; events wait in the outbox and are retried with backoff',
        );
      }
      this.failing = result.error;
    } else {
      if (this.failing !== undefined) {
        this.logger.info({ bus: this.bus.name }, 'outbox relay publishes again; draining the backlog');
      }
      this.failing = undefined;
    }
    if (result.published > 0) this.metrics.outboxPublished.inc({ bus: this.bus.name }, result.published);
    return result;
  }

  private publishBatch(): Promise<BatchResult> {
    return systemTx(this.db, async (tx) => {
      const { rows } = await tx.query<OutboxRow>(
        `SELECT id, tenant_id, topic, payload, request_id, created_at, attempts FROM outbox
          WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      const published: string[] = [];
      let error: string | undefined;
      for (const row of rows) {
        if (!isValidTopic(row.topic)) {
          // No bus could carry it, and retrying will not help: it stays in the outbox (and the backlog) for a person.
          if (row.attempts === 0)
            this.logger.error({ eventId: row.id, topic: row.topic }, 'outbox event has a bad topic');
          await tx.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
            row.id,
            'topic is not domain.past_tense; not published',
          ]);
          continue;
        }
        try {
          await this.bus.publish(toEvent(row));
          published.push(row.id);
        } catch (err) {
          error = errorMessage(err);
          await tx.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
            row.id,
            error.slice(0, 2000),
          ]);
          break;
        }
      }
      if (published.length > 0) {
        await tx.query('UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])', [
          published,
        ]);
      }
      return { claimed: rows.length, published: published.length, error };
    });
  }
}

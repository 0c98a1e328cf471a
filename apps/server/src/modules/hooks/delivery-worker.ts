import type { BaseLogger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { systemContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { addOutboxEvent } from '../../platform/events/index.ts';
import { addKeyedJobs, JobQueue, type BackgroundWork, type TaskDefinition } from '../../platform/jobs/index.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { recordAudit } from '../audit/index.ts';
import * as repo from './delivery.repo.ts';
import { postJson, type PostResult } from './http-post.ts';
import { signDelivery } from './signing.ts';
import { urlRefusal } from './url-guard.ts';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
/**
 * Waits after attempt 1, 2, …: 5 s, 5 min, 30 min, 2 h, 5 h, then 10 h seven times; 13 attempts over about
 * 77.6 hours (more than 3 days). After the last, the delivery is failed.
 */
export const DEFAULT_SCHEDULE_MS: readonly number[] = [
  5 * SECOND,
  300 * SECOND,
  1800 * SECOND,
  2 * HOUR,
  5 * HOUR,
  ...Array.from({ length: 7 }, () => 10 * HOUR),
];

export interface DeliveryWorkerOptions {
  readonly db: Database;
  readonly logger: Pick<BaseLogger, 'debug' | 'info' | 'warn' | 'error'>;
  readonly metrics: Metrics;
  /** Development and tests: deliver to http and to loopback or private addresses. */
  readonly allowPrivateUrls: boolean;
  /** Back-off after each failed attempt, in ms; its length + 1 is the number of attempts. */
  readonly schedule?: readonly number[];
  /** An endpoint is disabled after this many failed attempts in a row… (default 50) */
  readonly disableAfterFailures?: number;
  /** …or when a failure comes this long after the first of its run of failures (default 3 days). */
  readonly disableAfterMs?: number;
  /** How often a standalone worker (tests) looks for retries that fell due; the queue's poll interval. */
  readonly pollMs?: number;
  readonly timeoutMs?: number;
}

/** The job that makes one attempt at one delivery; enqueued by the webhook_deliveries triggers (migration 0017). */
export const DELIVER_TASK = 'hooks.deliver';

type Outcome = 'delivered' | 'retrying' | 'failed';
const counters = new WeakMap<Registry, Counter<'outcome'>>();

function deliveriesCounter(registry: Registry): Counter<'outcome'> {
  let counter = counters.get(registry);
  if (counter === undefined) {
    counter = new Counter({
      name: 'webhook_deliveries_total',
      help: 'Outgoing webhook attempts by outcome: delivered, retrying (failed, will retry), failed (gave up)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    counters.set(registry, counter);
  }
  return counter;
}

/**
 * Sends pending outgoing webhooks (Standard Webhooks), as jobs of the one queue (`hooks.deliver`, one per due
 * attempt, on the system pool because it crosses tenants). Each attempt is recorded in the delivery's tenant
 * transaction with the endpoint's failure count; a failed attempt moves the delivery's next_attempt_at by the
 * schedule, which the trigger turns into the next job. An endpoint failing for too long is disabled, audited and
 * announced with the outbox event `webhook_endpoint.disabled`.
 */
export class WebhookDeliveryWorker {
  private readonly o: Required<Omit<DeliveryWorkerOptions, 'schedule' | 'pollMs'>> & {
    schedule: readonly number[];
  };
  private readonly counter: Counter<'outcome'>;
  private readonly queue: JobQueue;
  /** What deliveries add to the process's job queue. */
  readonly work: BackgroundWork;

  constructor(options: DeliveryWorkerOptions) {
    const { pollMs, ...rest } = options;
    this.o = {
      schedule: DEFAULT_SCHEDULE_MS,
      disableAfterFailures: 50,
      disableAfterMs: 72 * HOUR,
      timeoutMs: 10 * SECOND,
      ...rest,
    };
    this.counter = deliveriesCounter(options.metrics.registry);
    const task: TaskDefinition = {
      name: DELIVER_TASK,
      run: async (payload) => {
        await this.deliver(String(payload.id));
      },
      recover: async () =>
        addKeyedJobs(
          this.o.db.system,
          DELIVER_TASK,
          (await repo.pendingDeliveries(this.o.db.system)).map((d) => ({ id: d.id, runAt: d.next_attempt_at })),
        ),
    };
    this.work = { tasks: [task] };
    this.queue = new JobQueue({
      db: options.db,
      logger: options.logger,
      registry: options.metrics.registry,
      work: [this.work],
      ...(pollMs === undefined ? {} : { pollMs }),
    });
  }

  /** Runs deliveries on a queue of its own (tests); servers and workers run `work` on theirs. */
  start(): Promise<void> {
    return this.queue.start();
  }

  /** Stops that queue and waits for the attempts in flight. */
  stop(): Promise<void> {
    return this.queue.stop();
  }

  /**
   * Delivers until no pending delivery falls due before `timeoutMs` from now (tests, shutdown), waiting for
   * retries due sooner; resolves when nothing is left to do in that window.
   */
  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.queue.drain();
      const next = await repo.nextDueAt(this.o.db.system);
      if (next === null || next.getTime() > deadline) return;
      if (Date.now() >= deadline) throw new Error(`webhook deliveries still due after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, Math.min(50, Math.max(5, next.getTime() - Date.now()))));
    }
  }

  /** Makes the attempt delivery `id` is due for; nothing when it is not due (done, later, endpoint disabled). */
  async deliver(id: string): Promise<void> {
    const d = await repo.dueDelivery(this.o.db.system, id);
    if (d !== undefined) await this.attempt(d);
  }

  private async attempt(d: repo.ClaimedDelivery): Promise<void> {
    const attempt = d.attempts + 1;
    const started = Date.now();
    let result: PostResult;
    // DNS can change after the endpoint was saved: check again (the connection's lookup checks once more).
    const refusal = await urlRefusal(d.url, { allowPrivateUrls: this.o.allowPrivateUrls });
    if (refusal !== undefined) {
      result = { statusCode: null, error: `url refused: ${refusal}` };
    } else {
      const { type, timestamp, data } = d.payload;
      const body = JSON.stringify({ type, timestamp, data });
      const now = Math.floor(Date.now() / 1000);
      const headers = {
        'webhook-id': d.id,
        'webhook-timestamp': String(now),
        'webhook-signature': signDelivery(d.secret, d.id, now, body),
      };
      result = await postJson(d.url, headers, body, {
        timeoutMs: this.o.timeoutMs,
        allowPrivateUrls: this.o.allowPrivateUrls,
      });
    }
    const delivered = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const error = delivered ? null : (result.error ?? `HTTP ${result.statusCode}`);
    const retryInMs = delivered ? null : (this.o.schedule[attempt - 1] ?? null);
    const outcome: repo.AttemptOutcome = {
      attempt,
      statusCode: result.statusCode,
      error,
      durationMs: Date.now() - started,
    };
    try {
      await this.record(d, outcome, delivered, retryInMs);
      this.counter.inc({ outcome: delivered ? 'delivered' : retryInMs === null ? 'failed' : 'retrying' } satisfies {
        outcome: Outcome;
      });
    } catch (err) {
      // The job fails and the queue runs it again: the attempt is made again (at least once, as the receiver's
      // de-duplication expects).
      this.o.logger.warn({ err: (err as Error).message, deliveryId: d.id }, 'could not record a webhook attempt');
      throw err;
    }
  }

  private record(
    d: repo.ClaimedDelivery,
    outcome: repo.AttemptOutcome,
    delivered: boolean,
    retryInMs: number | null,
  ): Promise<void> {
    const ctx = systemContext(d.tenant_id);
    return tenantTx(this.o.db, ctx, async (tx) => {
      await repo.insertAttempt(tx, d.tenant_id, d.id, outcome);
      if (!(await repo.updateDelivery(tx, d.id, { ...outcome, delivered, retryInMs }))) return;
      if (delivered) {
        await repo.endpointSucceeded(tx, d.endpoint_id);
        return;
      }
      const run = await repo.endpointFailed(tx, d.endpoint_id);
      if (run === undefined || run.status !== 'enabled') return;
      const tooMany = run.failure_count >= this.o.disableAfterFailures;
      const tooLong = run.failing_ms >= this.o.disableAfterMs;
      if (!tooMany && !tooLong) return;
      const reason = tooMany
        ? `${run.failure_count} delivery attempts failed in a row`
        : `deliveries have failed for more than ${Math.round(this.o.disableAfterMs / HOUR)} hours`;
      if (!(await repo.disableEndpoint(tx, d.endpoint_id, reason))) return;
      const data = { endpoint_id: d.endpoint_id, url: d.url, reason, failure_count: run.failure_count };
      await recordAudit(tx, ctx, {
        action: 'webhook_endpoint.disabled',
        entityType: 'webhook_endpoint',
        entityId: d.endpoint_id,
        data,
      });
      await addOutboxEvent(tx, ctx, { topic: 'webhook_endpoint.disabled', payload: data });
      this.o.logger.warn({ endpointId: d.endpoint_id, tenantId: d.tenant_id, reason }, 'webhook endpoint disabled');
    });
  }
}

/** The delivery worker of one process: its `work` joins the process's job queue (background.ts). */
export function createDeliveryWorker(options: DeliveryWorkerOptions): WebhookDeliveryWorker {
  return new WebhookDeliveryWorker(options);
}

import type { BaseLogger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Database } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';

/** A stored, well-formed incoming event, as a handler sees it. */
export interface WebhookEvent {
  readonly id: string;
  readonly provider: string;
  readonly eventType: string;
  /** The processor's own id of the event (`payload.id`), when it sent one. */
  readonly externalId: string | null;
  readonly payload: Readonly<Record<string, unknown>>;
  /** Attempts made before this one (0 on the first). */
  readonly attempts: number;
  readonly receivedAt: Date;
}

/** What a handler may use. */
export interface WebhookHandlerContext {
  /**
   * The processor's transaction (system pool: row-level security does not apply, so filter by tenant yourself).
   * Writes made through it commit together with the event's `processed` status, and are rolled back (to a
   * savepoint) when the handler throws.
   */
  readonly tx: Tx;
  /** For handlers that prefer their own `tenantTx(db, systemContext(tenantId), …)`. */
  readonly db: Database;
  /** The processor's logger, as plain pino log methods (no Fastify type). */
  readonly logger: Pick<BaseLogger, 'debug' | 'info' | 'warn' | 'error'>;
}

/**
 * Processes one event. Throwing schedules a retry with back-off. Delivery is at least once (a processor may also
 * send the same event twice), so a handler must be idempotent, e.g. keyed by `event.externalId`.
 */
export type WebhookHandler = (context: WebhookHandlerContext, event: WebhookEvent) => Promise<void>;

const handlers = new Map<string, WebhookHandler>();

function keyOf(provider: string, eventType: string): string {
  return `${provider}\u0000${eventType}`;
}

/**
 * Registers the handler of one provider's event type (e.g. the payments module: `('gateway',
 * 'payment_intent.captured', …)`). Events without a handler are marked `ignored`. Returns a function that removes
 * the registration (tests). A second registration for the same pair replaces the first.
 */
export function registerWebhookHandler(provider: string, eventType: string, handler: WebhookHandler): () => void {
  const key = keyOf(provider, eventType);
  handlers.set(key, handler);
  return () => {
    if (handlers.get(key) === handler) handlers.delete(key);
  };
}

/** The handler registered for a provider's event type, if any. */
export function webhookHandlerFor(provider: string, eventType: string): WebhookHandler | undefined {
  return handlers.get(keyOf(provider, eventType));
}

const counters = new WeakMap<Registry, Counter<'provider' | 'status'>>();

/** `webhook_events_total{provider,status}`: events entering each status; one counter per metrics registry. */
export function webhookEventsCounter(registry: Registry): Counter<'provider' | 'status'> {
  let counter = counters.get(registry);
  if (counter === undefined) {
    counter = new Counter({
      name: 'webhook_events_total',
      help: 'Incoming webhook events by provider and the status they entered (received, processed, ignored, failed)',
      labelNames: ['provider', 'status'],
      registers: [registry],
    });
    counters.set(registry, counter);
  }
  return counter;
}

import { Counter, type Registry } from 'prom-client';
import type { OutboxEvent } from './outbox.ts';

/** What a consumer does with one event. Throwing means "not handled" (NATS redelivers; in-process logs it). */
export type EventHandler = (event: OutboxEvent) => Promise<void>;

/** The state of a bus as /health reports it. */
export interface BusHealth {
  readonly status: 'up' | 'down';
  readonly message?: string;
}

/**
 * Carries published outbox events to consumers. The relay is the only publisher; consumers subscribe by name
 * (one name per use case, e.g. `webhooks`) and wrap their handler in `consumeOnce`.
 */
export interface EventBus {
  readonly name: 'in-process' | 'nats';
  /** Resolves once the bus has taken the event; rejects (quickly) when it cannot. */
  publish(event: OutboxEvent): Promise<void>;
  /**
   * Delivers events whose topic matches one of `topics` to `handler`. A pattern is an exact topic
   * (`order.completed`), a prefix (`order.*`: every topic that starts with `order.`) or `*` (everything).
   */
  subscribe(consumer: string, topics: readonly string[], handler: EventHandler): Promise<void>;
  health(): BusHealth;
  close(): Promise<void>;
}

const PATTERN_RE = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)$/;
const CONSUMER_RE = /^[a-z][a-z0-9_-]{0,63}$/;

/** Checks a subscription's arguments; a mistake here is a programming error, so it throws. */
export function checkSubscription(consumer: string, topics: readonly string[]): void {
  if (!CONSUMER_RE.test(consumer)) {
    throw new Error(`consumer name "${consumer}" must be lower case letters, digits, _ or - (at most 64)`);
  }
  if (topics.length === 0) throw new Error(`consumer "${consumer}" subscribes to no topics`);
  for (const pattern of topics) {
    if (!PATTERN_RE.test(pattern)) {
      throw new Error(`topic pattern "${pattern}" must be a topic, a prefix like "order.*", or "*"`);
    }
  }
}

/** True when `topic` matches `pattern` (see EventBus.subscribe). */
export function topicMatches(pattern: string, topic: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return topic.startsWith(pattern.slice(0, -1));
  return pattern === topic;
}

export function matchesAny(patterns: readonly string[], topic: string): boolean {
  return patterns.some((p) => topicMatches(p, topic));
}

/**
 * Counts handler failures by bus and consumer. Registered once per registry: the bus is created per app, and the
 * registry refuses a second metric of the same name.
 */
export function handlerFailureCounter(registry: Registry): Counter<'bus' | 'consumer'> {
  const name = 'event_handler_failures_total';
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter({
    name,
    help: 'Event handlers that threw, by bus and consumer',
    labelNames: ['bus', 'consumer'],
    registers: [registry],
  });
}

/** The message of anything thrown, for logs and the outbox's last_error. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

import type { FastifyBaseLogger } from 'fastify';
import type { Counter } from 'prom-client';
import {
  checkSubscription,
  errorMessage,
  matchesAny,
  type BusHealth,
  type EventBus,
  type EventHandler,
} from './bus.ts';
import type { OutboxEvent } from './outbox.ts';

interface Subscriber {
  readonly consumer: string;
  readonly patterns: readonly string[];
  readonly handler: EventHandler;
}

/**
 * The default bus: hands each event to this process's subscribers. Publishing awaits every matching handler, so
 * the relay marks an event published once all of them have run. A handler that throws is logged and counted, and
 * does not stop the others nor hold the event back: in-process delivery is one attempt per consumer (a consumer
 * that needs retries belongs on NATS). Handlers still go through `consumeOnce`, because the relay can publish an
 * event again when it could not record the first publication.
 */
export class InProcessBus implements EventBus {
  readonly name = 'in-process' as const;
  private readonly subscribers: Subscriber[] = [];
  private readonly logger: FastifyBaseLogger;
  private readonly failures: Counter<'bus' | 'consumer'>;
  private closed = false;

  constructor(options: { logger: FastifyBaseLogger; failures: Counter<'bus' | 'consumer'> }) {
    this.logger = options.logger;
    this.failures = options.failures;
  }

  async publish(event: OutboxEvent): Promise<void> {
    if (this.closed) throw new Error('the in-process event bus is closed');
    const matching = this.subscribers.filter((s) => matchesAny(s.patterns, event.topic));
    await Promise.all(
      matching.map(async (s) => {
        try {
          await s.handler(event);
        } catch (err) {
          this.failures.inc({ bus: this.name, consumer: s.consumer });
          this.logger.error(
            { err: errorMessage(err), consumer: s.consumer, eventId: event.id, topic: event.topic },
            'event handler failed; in-process delivery does not retry',
          );
        }
      }),
    );
  }

  async subscribe(consumer: string, topics: readonly string[], handler: EventHandler): Promise<void> {
    checkSubscription(consumer, topics);
    if (this.subscribers.some((s) => s.consumer === consumer)) {
      throw new Error(`consumer "${consumer}" is already subscribed`);
    }
    this.subscribers.push({ consumer, patterns: [...topics], handler });
  }

  health(): BusHealth {
    return this.closed ? { status: 'down', message: 'the in-process event bus is closed' } : { status: 'up' };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribers.length = 0;
  }
}

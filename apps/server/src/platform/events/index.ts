import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Metrics } from '../metrics.ts';
import { errorMessage, handlerFailureCounter, type EventBus } from './bus.ts';
import { InProcessBus } from './in-process-bus.ts';
import { NatsBus } from './nats-bus.ts';
import { OutboxRelay } from './relay.ts';

export { addOutboxEvent, countOutboxBacklog, outboxSignal, type DomainEvent, type OutboxEvent } from './outbox.ts';
export { topicMatches, type BusHealth, type EventBus, type EventHandler } from './bus.ts';
export { isValidTopic } from './topics.ts';
export { consumeOnce } from './consume-once.ts';
export { InProcessBus } from './in-process-bus.ts';
export { NatsBus } from './nats-bus.ts';
export { OutboxRelay, type OutboxRelayOptions } from './relay.ts';

/** The event machinery of one server: the bus, the relay that feeds it, and their health. */
export interface Events {
  readonly bus: EventBus;
  readonly relay: OutboxRelay;
  /**
   * Starts the relay. Call it after this process's consumers have subscribed: the in-process bus hands an event
   * only to the subscribers it has at that moment.
   */
  start(): void;
  /** For /health: down when the bus is unreachable or the relay cannot publish; `backlog` counts waiting events. */
  health(): Promise<{ status: 'up' | 'down'; message?: string; [k: string]: unknown }>;
  /** Stops the relay (after its batch in flight), then closes the bus. */
  close(): Promise<void>;
}

export interface EventsOptions {
  readonly config: Config;
  readonly db: Database;
  readonly metrics: Metrics;
  readonly logger: FastifyBaseLogger;
  /** Prefix of NATS durable consumer names (default `novapos`): deployments sharing a broker use different ones. */
  readonly consumerGroup?: string;
  /** Relay tuning; tests shorten these. */
  readonly relay?: { batchSize?: number; pollMs?: number; minBackoffMs?: number; maxBackoffMs?: number };
}

/**
 * Builds the bus named by the configuration (NATS JetStream when EVENT_BUS_URL is set, in-process otherwise) and
 * the outbox relay, not yet started: subscribe consumers on `bus`, then call `start()`. It never waits for the
 * broker: with NATS down the server starts, health reports the bus down and events wait in the outbox.
 */
export async function createEvents(options: EventsOptions): Promise<Events> {
  const { config, db, metrics } = options;
  const logger = options.logger.child({ component: 'events' });
  const failures = handlerFailureCounter(metrics.registry);
  const consumerGroup = options.consumerGroup ?? 'novapos';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(consumerGroup)) {
    throw new Error(`consumer group "${consumerGroup}" must be letters, digits, _ or -`);
  }
  const bus: EventBus =
    config.eventBusUrl === undefined
      ? new InProcessBus({ logger, failures })
      : new NatsBus({ url: config.eventBusUrl, logger, failures, consumerGroup });
  const relay = new OutboxRelay({ db, bus, metrics, logger, ...options.relay });
  return {
    bus,
    relay,
    start: () => {
      relay.start();
    },
    health: async () => {
      const busHealth = bus.health();
      let backlog: number | undefined;
      try {
        backlog = await relay.backlog();
      } catch (err) {
        return { status: 'down', bus: bus.name, message: `cannot count the outbox: ${errorMessage(err)}` };
      }
      if (busHealth.status === 'down') return { status: 'down', bus: bus.name, message: busHealth.message, backlog };
      const problem = relay.problem;
      if (problem !== undefined) return { status: 'down', bus: bus.name, message: problem, backlog };
      return { status: 'up', bus: bus.name, backlog };
    },
    close: async () => {
      await relay.stop();
      await bus.close();
    },
  };
}

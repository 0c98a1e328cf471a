import {
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
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
import { ensureConsumer, ensureStream, pause, STREAM_NAME, SUBJECT_PREFIX } from './nats-stream.ts';
import type { OutboxEvent } from './outbox.ts';

export interface NatsBusOptions {
  /** `nats://host:port` (EVENT_BUS_URL). */
  readonly url: string;
  readonly logger: FastifyBaseLogger;
  readonly failures: Counter<'bus' | 'consumer'>;
  /** Prefix of the durable consumer names, so two deployments (or test runs) on one broker do not share work. */
  readonly consumerGroup: string;
  /** How long a publish waits for JetStream's acknowledgement. */
  readonly publishTimeoutMs?: number;
}

interface Subscription {
  readonly consumer: string;
  readonly durable: string;
  readonly patterns: readonly string[];
  readonly handler: EventHandler;
  started: boolean;
  messages?: ConsumerMessages;
}

/**
 * The NATS JetStream bus. Events go to the stream NOVAPOS_EVENTS on `novapos.events.<topic>` with the event id as
 * message id, so JetStream drops a republished event within the duplicate window. Each consumer name is a durable
 * pull consumer that every server shares (the work is split between them); a message is acknowledged after its
 * handler succeeded and redelivered with a growing delay when it threw.
 *
 * The server starts while the broker is down: the connection is retried in the background, and once made, the
 * client reconnects forever. Meanwhile publish fails at once, so the relay backs off and the outbox holds events.
 */
export class NatsBus implements EventBus {
  readonly name = 'nats' as const;
  private readonly options: NatsBusOptions;
  private readonly subscriptions: Subscription[] = [];
  private readonly stopping = new AbortController();
  private readonly connecting: Promise<void>;
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private connected = false;
  /** Bumped on every disconnect and reconnect, so a recovery that was overtaken by events gives up. */
  private connection = 0;
  private problem = 'not connected to the event broker yet';

  constructor(options: NatsBusOptions) {
    this.options = options;
    this.connecting = this.connectUntilDone();
  }

  async publish(event: OutboxEvent): Promise<void> {
    if (!this.connected || this.js === undefined) throw new Error(`event broker unavailable: ${this.problem}`);
    await this.js.publish(`${SUBJECT_PREFIX}${event.topic}`, JSON.stringify(event), {
      msgID: event.id,
      timeout: this.options.publishTimeoutMs ?? 2000,
    });
  }

  async subscribe(consumer: string, topics: readonly string[], handler: EventHandler): Promise<void> {
    checkSubscription(consumer, topics);
    if (this.subscriptions.some((s) => s.consumer === consumer)) {
      throw new Error(`consumer "${consumer}" is already subscribed`);
    }
    const sub: Subscription = {
      consumer,
      durable: `${this.options.consumerGroup}_${consumer}`,
      patterns: [...topics],
      handler,
      started: false,
    };
    this.subscriptions.push(sub);
    // Not connected yet: the subscription starts when the connection is made.
    if (this.connected) await this.startConsumer(sub);
  }

  health(): BusHealth {
    if (this.isClosing()) return { status: 'down', message: 'the event bus is closed' };
    return this.connected ? { status: 'up' } : { status: 'down', message: this.problem };
  }

  async close(): Promise<void> {
    this.stopping.abort();
    await this.connecting;
    this.connected = false;
    // stop(), not close(): close() waits for the broker, which may be the thing that is down.
    for (const sub of this.subscriptions) sub.messages?.stop();
    const nc = this.nc;
    if (nc === undefined || nc.isClosed()) return;
    // Draining flushes acknowledgements in flight; without a broker it fails, and closing is all that is left.
    let timer: NodeJS.Timeout | undefined;
    const drained = Promise.race([
      nc.drain(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('drain timed out')), 3000))),
    ]);
    await drained.catch(() => nc.close()).finally(() => clearTimeout(timer));
  }

  // A method, not a field read: the compiler would otherwise assume it cannot change across an await.
  private isClosing(): boolean {
    return this.stopping.signal.aborted;
  }

  /** First connection: retried with backoff until it succeeds or the bus closes. */
  private async connectUntilDone(): Promise<void> {
    let wait = 500;
    let warned = false;
    while (!this.isClosing()) {
      let nc: NatsConnection | undefined;
      try {
        nc = await connect({
          servers: this.options.url,
          name: 'novapos',
          timeout: 2000,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 1000,
          // Notice a silent network loss within ~20 s, not the default 4 minutes.
          pingInterval: 10_000,
          maxPingOut: 2,
        });
        const jsm = await jetstreamManager(nc, { timeout: 2000 });
        await ensureStream(jsm);
        if (this.isClosing()) {
          await nc.close();
          return;
        }
        this.nc = nc;
        this.js = jetstream(nc, { timeout: 2000 });
        this.connected = true;
        this.watch(nc).catch((err: unknown) => {
          this.options.logger.error({ err: errorMessage(err) }, 'NATS status watcher failed');
        });
        // The host only: the URL may carry credentials.
        this.options.logger.info({ host: new URL(this.options.url).host }, 'connected to the NATS event broker');
        await this.startPendingConsumers();
        return;
      } catch (err) {
        if (nc !== undefined) await nc.close().catch(() => undefined);
        this.problem = errorMessage(err);
        if (!warned) this.options.logger.warn({ err: this.problem }, 'NATS event broker unreachable; retrying');
        warned = true;
        await pause(wait, this.stopping.signal);
        wait = Math.min(wait * 2, 5000);
      }
    }
  }

  /** Follows the connection's state; after a reconnect, re-creates what a broker without its store has lost. */
  private async watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'close') {
        this.connection++;
        this.connected = false;
        this.problem = 'disconnected from the event broker';
        this.options.logger.debug('NATS event broker disconnected');
      } else if (status.type === 'reconnect') {
        this.options.logger.debug('NATS event broker reconnected');
        void this.recover(nc, ++this.connection);
      }
    }
  }

  /** Makes sure the stream and consumers exist before publishing again; retried until done or disconnected. */
  private async recover(nc: NatsConnection, connection: number): Promise<void> {
    let wait = 500;
    let warned = false;
    while (!this.isClosing() && connection === this.connection) {
      try {
        const jsm = await jetstreamManager(nc, { timeout: 2000 });
        await ensureStream(jsm);
        for (const sub of this.subscriptions) {
          if (!sub.started || !(await ensureConsumer(jsm, sub.durable, sub.patterns))) continue;
          // The broker lost the consumer (and its store): the running consume() waits on a consumer that is gone.
          const stale = sub.messages;
          sub.messages = undefined;
          sub.started = false;
          stale?.stop();
        }
        if (connection !== this.connection) return;
        this.connected = true;
        await this.startPendingConsumers();
        return;
      } catch (err) {
        this.problem = `reconnected, but JetStream is not ready: ${errorMessage(err)}`;
        if (!warned) this.options.logger.warn({ err: errorMessage(err) }, 'NATS reconnected; event stream not ready');
        warned = true;
        await pause(wait, this.stopping.signal);
        wait = Math.min(wait * 2, 5000);
      }
    }
  }

  private async startPendingConsumers(): Promise<void> {
    for (const sub of this.subscriptions) {
      if (sub.started) continue;
      try {
        await this.startConsumer(sub);
      } catch (err) {
        this.options.logger.error({ err: errorMessage(err), consumer: sub.consumer }, 'cannot start event consumer');
      }
    }
  }

  private async startConsumer(sub: Subscription): Promise<void> {
    const nc = this.nc;
    if (sub.started || nc === undefined || this.js === undefined) return;
    sub.started = true;
    try {
      await ensureConsumer(await jetstreamManager(nc, { timeout: 2000 }), sub.durable, sub.patterns);
      const consumer = await this.js.consumers.get(STREAM_NAME, sub.durable);
      sub.messages = await consumer.consume({ max_messages: 16 });
    } catch (err) {
      sub.started = false;
      throw err;
    }
    const messages = sub.messages;
    this.pump(sub, messages)
      .catch((err: unknown) => {
        this.options.logger.error({ err: errorMessage(err), consumer: sub.consumer }, 'event consumer stopped');
      })
      .finally(() => {
        // Ended by close(), or by the client giving up on this consumer: then start it again on the next chance.
        if (this.isClosing() || sub.messages !== messages) return;
        sub.started = false;
        setTimeout(() => void this.startPendingConsumers(), 1000).unref();
      });
  }

  /** Runs the handler for each message in turn; acknowledges on success, asks for a later redelivery on failure. */
  private async pump(sub: Subscription, messages: ConsumerMessages): Promise<void> {
    for await (const msg of messages) {
      let event: OutboxEvent;
      try {
        event = msg.json<OutboxEvent>();
      } catch {
        this.options.logger.error({ consumer: sub.consumer, seq: msg.seq }, 'event is not JSON; dropped');
        msg.term('not JSON');
        continue;
      }
      if (!matchesAny(sub.patterns, event.topic)) {
        msg.ack();
        continue;
      }
      await this.handle(sub, msg, event);
    }
  }

  private async handle(sub: Subscription, msg: JsMsg, event: OutboxEvent): Promise<void> {
    let delayMs: number | undefined;
    try {
      await sub.handler(event);
    } catch (err) {
      this.options.failures.inc({ bus: this.name, consumer: sub.consumer });
      delayMs = Math.min(1000 * 2 ** (msg.info.deliveryCount - 1), 60_000);
      this.options.logger.error(
        { err: errorMessage(err), consumer: sub.consumer, eventId: event.id, attempt: msg.info.deliveryCount },
        `event handler failed; redelivery in ${delayMs} ms`,
      );
    }
    try {
      if (delayMs === undefined) msg.ack();
      else msg.nak(delayMs);
    } catch {
      // The connection closed meanwhile: without an acknowledgement the broker redelivers after ack_wait.
    }
  }
}

import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

// The JetStream resources the NATS bus needs, created when missing: by the first server, and again after a broker
// came back without its store.

export const STREAM_NAME = 'NOVAPOS_EVENTS';
export const SUBJECT_PREFIX = 'novapos.events.';

function isNotFound(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamNotFound || err.code === JetStreamApiCodes.ConsumerNotFound)
  );
}

/** The NATS subject filter of a topic pattern: `order.*` covers `order.completed` and `order.line.added`. */
export function subjectFilter(pattern: string): string {
  if (pattern === '*') return `${SUBJECT_PREFIX}>`;
  if (pattern.endsWith('.*')) return `${SUBJECT_PREFIX}${pattern.slice(0, -1)}>`;
  return `${SUBJECT_PREFIX}${pattern}`;
}

/** Creates the event stream if it does not exist; an existing stream is left as its operator configured it. */
export async function ensureStream(jsm: JetStreamManager): Promise<void> {
  try {
    await jsm.streams.info(STREAM_NAME);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.streams.add({
      name: STREAM_NAME,
      subjects: [`${SUBJECT_PREFIX}>`],
      // Republishes after a lost acknowledgement come within seconds; two minutes is ample.
      duplicate_window: nanos(2 * 60_000),
      // Consumers that fall behind (or are added later) can catch up on a week of events.
      max_age: nanos(7 * 24 * 3600_000),
    });
  }
}

/**
 * Creates the durable consumer, or updates its filter when the subscription's topics changed. Returns true when it
 * had to be created (a consume() bound to the old one must then start again).
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  durable: string,
  patterns: readonly string[],
): Promise<boolean> {
  // Several patterns: take the whole stream and filter in the bus (a single filter works on every server version).
  const filter = patterns.length === 1 ? subjectFilter(patterns[0] ?? '*') : subjectFilter('*');
  try {
    const info = await jsm.consumers.info(STREAM_NAME, durable);
    if (info.config.filter_subject !== filter) {
      await jsm.consumers.update(STREAM_NAME, durable, { filter_subject: filter });
    }
    return false;
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.consumers.add(STREAM_NAME, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filter,
      ack_wait: nanos(30_000),
    });
    return true;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/harness.ts';
import { serviceUrl, skipWithout } from '../../../test/services.ts';
import { newId } from '../ids.ts';
import { createMetrics } from '../metrics.ts';
import { consumeOnce } from './consume-once.ts';
import { addEvents, collector, silentLogger, testConfig } from './events.fixtures.ts';
import { eventually } from '../../../test/timing.ts';
import { createEvents, type Events } from './index.ts';
import { STREAM_NAME } from './nats-stream.ts';
import type { OutboxEvent } from './outbox.ts';

const natsUrl = skipWithout('TEST_NATS_URL') ? '' : serviceUrl('TEST_NATS_URL');

describe.skipIf(skipWithout('TEST_NATS_URL'))('NATS JetStream bus (needs TEST_NATS_URL)', () => {
  // Unique per run: the broker is shared with other runs, whose events and durable consumers must not mix in.
  const tag = randomBytes(4).toString('hex');
  const group = `test_${tag}`;
  const domain = `t${tag}`;
  const tenantId = newId();
  let database: TestDatabase;
  let events: Events;

  beforeAll(async () => {
    database = await createTestDatabase();
    events = await createEvents({
      config: testConfig({ EVENT_BUS_URL: natsUrl }),
      db: database.db,
      metrics: createMetrics(),
      logger: silentLogger,
      consumerGroup: group,
      relay: { pollMs: 100 },
    });
    expect(events.bus.name).toBe('nats');
    await eventually(() => expect(events.bus.health()).toEqual({ status: 'up' }));
  });
  afterAll(async () => {
    await events.close();
    await database.close();
    const nc = await connect({ servers: natsUrl });
    const jsm = await jetstreamManager(nc);
    for await (const c of jsm.consumers.list(STREAM_NAME)) {
      if (c.name.startsWith(`${group}_`)) await jsm.consumers.delete(STREAM_NAME, c.name);
    }
    await nc.close();
  });

  it('publishes through the relay; a durable subscriber gets each event once, and a republish is dropped', async () => {
    const got = collector();
    await events.bus.subscribe('collector', [`${domain}.*`], got.handler);
    events.start();

    const ids = await addEvents(database.db, tenantId, [`${domain}.created`, `${domain}.updated`, `${domain}.closed`]);
    await events.relay.drain(10_000);
    await eventually(() => expect(got.ids()).toEqual(ids));
    expect(got.events[0]).toMatchObject({ id: ids[0], tenantId, requestId: 'req-test', topic: `${domain}.created` });

    // The relay publishes again when it could not record a publication: JetStream must drop the copy. A later
    // event arrives after anything stored before it, so once it is here a stored duplicate would be too.
    await events.bus.publish(got.events[0]!);
    const [sentinel] = await addEvents(database.db, tenantId, [`${domain}.sentinel`]);
    await events.relay.drain(10_000);
    await eventually(() => expect(got.ids()).toContain(sentinel));
    expect(got.ids()).toEqual([...ids, sentinel]);
    expect(await events.health()).toMatchObject({ status: 'up', bus: 'nats', backlog: 0 });
  });

  it('redelivers an event whose handler failed, and consumeOnce applies it once', async () => {
    const deliveries: string[] = [];
    const handlerRuns: string[] = [];
    let failNext = true;
    await events.bus.subscribe('flaky', [`${domain}.flaky`], async (event: OutboxEvent) => {
      deliveries.push(event.id);
      await consumeOnce(database.db, 'flaky', event, async () => {
        handlerRuns.push(event.id);
        if (failNext) {
          failNext = false;
          throw new Error('downstream hiccup');
        }
      });
    });
    const [id] = await addEvents(database.db, tenantId, [`${domain}.flaky`]);
    await events.relay.drain(10_000);
    // First delivery fails (nak with a 1 s delay); the redelivery succeeds and commits.
    const processed = async (): Promise<number> => {
      const { rows } = await database.db.system.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM processed_events WHERE consumer = $1 AND event_id = $2',
        ['flaky', id],
      );
      return rows[0]!.n;
    };
    await eventually(async () => expect(await processed()).toBe(1));
    expect(handlerRuns).toEqual([id, id]);
    expect(deliveries).toEqual([id, id]);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/harness.ts';
import { systemContext } from '../context.ts';
import { tenantTx } from '../db/tx.ts';
import { newId } from '../ids.ts';
import { createMetrics, type Metrics } from '../metrics.ts';
import { handlerFailureCounter } from './bus.ts';
import { addEvents, collector, occurrences, silentLogger, testConfig } from './events.fixtures.ts';
import { eventually } from '../../../test/timing.ts';
import { InProcessBus } from './in-process-bus.ts';
import { createEvents, type Events } from './index.ts';
import { addOutboxEvent, type OutboxEvent } from './outbox.ts';
import { OutboxRelay } from './relay.ts';

let database: TestDatabase;
let metrics: Metrics;
let events: Events;
const tenantId = newId();

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function startEvents(relay: { batchSize?: number; pollMs?: number } = {}): Promise<Events> {
  metrics = createMetrics();
  events = await createEvents({
    config: testConfig(),
    db: database.db,
    metrics,
    logger: silentLogger,
    relay: { pollMs: 50, ...relay },
  });
  return events;
}
afterEach(async () => {
  await events.close();
  // Each test starts with an empty outbox, so backlogs and counts are its own.
  await database.db.system.query('DELETE FROM outbox');
});

interface OutboxState {
  published_at: Date | null;
  attempts: number;
  last_error: string | null;
}

/** The row as it is now; undefined when it does not exist. */
async function outboxRow(id: string): Promise<OutboxState | undefined> {
  const { rows } = await database.db.system.query<OutboxState>(
    'SELECT published_at, attempts, last_error FROM outbox WHERE id = $1',
    [id],
  );
  return rows[0];
}

describe('outbox relay with the in-process bus', () => {
  it('delivers an event once after its transaction commits, marks it published and empties the backlog', async () => {
    // A poll too slow to matter: the commit's wake-up alone must bring the event.
    await startEvents({ pollMs: 60_000 });
    const got = collector();
    await events.bus.subscribe('collector', ['order.completed'], got.handler);
    events.start();

    const [id] = await addEvents(database.db, tenantId, ['order.completed']);
    await eventually(() => expect(got.ids()).toEqual([id]));
    expect(got.events[0]).toMatchObject({
      id,
      tenantId,
      requestId: 'req-test',
      topic: 'order.completed',
      payload: { i: 0 },
    });
    expect(Date.parse(got.events[0]!.createdAt)).not.toBeNaN();

    await eventually(async () => expect((await outboxRow(id!))!.published_at).toBeInstanceOf(Date));
    expect((await outboxRow(id!))!.attempts).toBe(1);
    await events.relay.drain(5000);
    expect((await metrics.outboxBacklog.get()).values[0]?.value).toBe(0);
    expect((await metrics.outboxPublished.get()).values[0]?.value).toBe(1);
    expect(await events.health()).toMatchObject({ status: 'up', bus: 'in-process', backlog: 0 });

    // A few polls later it has still been delivered only once.
    await new Promise((r) => setTimeout(r, 200));
    expect(got.ids()).toEqual([id]);
  });

  it('never delivers an event whose transaction rolled back', async () => {
    await startEvents();
    const got = collector();
    await events.bus.subscribe('collector', ['*'], got.handler);
    events.start();

    let rolledBack: string | undefined;
    await expect(
      tenantTx(database.db, systemContext(tenantId), async (tx) => {
        rolledBack = await addOutboxEvent(tx, systemContext(tenantId), { topic: 'order.voided', payload: {} });
        throw new Error('the sale failed');
      }),
    ).rejects.toThrow('the sale failed');
    const [committed] = await addEvents(database.db, tenantId, ['order.completed']);

    await events.relay.drain(5000);
    await eventually(() => expect(got.ids()).toEqual([committed]));
    expect(rolledBack).toBeDefined();
    expect(await outboxRow(rolledBack!)).toBeUndefined();
  });

  it('hands each subscriber the topics it asked for; a failing handler neither stops the others nor the event', async () => {
    await startEvents();
    const orders = collector();
    const everything = collector();
    await events.bus.subscribe('orders', ['order.*'], orders.handler);
    await events.bus.subscribe('failing', ['*'], async () => {
      throw new Error('handler bug');
    });
    await events.bus.subscribe('everything', ['*'], everything.handler);
    events.start();

    const ids = await addEvents(database.db, tenantId, ['order.completed', 'stock.adjusted', 'order.line.added']);
    await events.relay.drain(5000);

    expect(orders.ids()).toEqual([ids[0], ids[2]]);
    expect(everything.ids()).toEqual(ids);
    for (const id of ids) expect((await outboxRow(id))!.published_at).toBeInstanceOf(Date);
    const failures = await handlerFailureCounter(metrics.registry).get();
    expect(failures.values).toEqual([{ labels: { bus: 'in-process', consumer: 'failing' }, value: 3 }]);
  });

  it('refuses bad consumer names and topic patterns', async () => {
    await startEvents();
    const noop = async (): Promise<void> => undefined;
    await expect(events.bus.subscribe('Bad Name', ['*'], noop)).rejects.toThrow(/consumer name/);
    await expect(events.bus.subscribe('x', ['order.*.done'], noop)).rejects.toThrow(/topic pattern/);
    await expect(events.bus.subscribe('x', [], noop)).rejects.toThrow(/no topics/);
    await events.bus.subscribe('x', ['order.completed'], noop);
    await expect(events.bus.subscribe('x', ['*'], noop)).rejects.toThrow(/already subscribed/);
  });

  it('keeps an event with an unpublishable topic in the outbox and publishes the ones behind it', async () => {
    await startEvents();
    const got = collector();
    await events.bus.subscribe('collector', ['*'], got.handler);
    const bad = newId();
    await database.db.system.query(
      `INSERT INTO outbox (id, tenant_id, topic, payload) VALUES ($1, $2, 'Order Completed!', '{}')`,
      [bad, tenantId],
    );
    const [good] = await addEvents(database.db, tenantId, ['order.completed']);
    events.start();

    await eventually(() => expect(got.ids()).toEqual([good]));
    const row = (await outboxRow(bad))!;
    expect(row.published_at).toBeNull();
    expect(row.last_error).toMatch(/domain\.past_tense/);
    expect(await events.relay.backlog()).toBe(1);
  });

  it('lets several relays run at once: every event is published exactly once', async () => {
    await startEvents({ batchSize: 5 });
    const first = collector();
    const second = collector();
    // Handlers that take a moment keep each relay's batch locked while the other claims the next one.
    const slowly = (handler: (e: OutboxEvent) => Promise<void>) => async (e: OutboxEvent) => {
      await new Promise((r) => setTimeout(r, 2));
      await handler(e);
    };
    // `events` is the first server; a second one has its own bus and relay on the same database.
    await events.bus.subscribe('collector', ['*'], slowly(first.handler));
    const otherBus = new InProcessBus({ logger: silentLogger, failures: handlerFailureCounter(metrics.registry) });
    await otherBus.subscribe('collector', ['*'], slowly(second.handler));
    const otherRelay = new OutboxRelay({
      db: database.db,
      bus: otherBus,
      metrics,
      logger: silentLogger,
      batchSize: 5,
      pollMs: 20,
    });
    const ids = await addEvents(
      database.db,
      tenantId,
      Array.from({ length: 60 }, () => 'order.completed'),
    );
    events.start();
    otherRelay.start();
    try {
      await events.relay.drain(10_000);
    } finally {
      await otherRelay.stop();
    }
    const seen = occurrences([...first.ids(), ...second.ids()]);
    expect(seen.size).toBe(60);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect([...seen.keys()].sort()).toEqual([...ids].sort());
    expect(first.ids().length).toBeGreaterThan(0);
    expect(second.ids().length).toBeGreaterThan(0);
  });

  it('drains an outbox written while no relay ran, and stop() is safe to call twice', async () => {
    await startEvents();
    const got = collector();
    await events.bus.subscribe('collector', ['*'], got.handler);
    const ids = await addEvents(database.db, tenantId, ['order.completed', 'order.refunded']);
    expect(await events.relay.backlog()).toBe(2);
    // Not started: drain publishes by itself.
    await events.relay.drain(5000);
    expect(got.ids()).toEqual(ids);
    await events.relay.stop();
    await events.relay.stop();
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/harness.ts';
import { newId } from '../ids.ts';
import { createMetrics, type Metrics } from '../metrics.ts';
import { consumeOnce } from './consume-once.ts';
import { addEvents, occurrences, silentLogger, testConfig } from './events.fixtures.ts';
import { eventually } from '../../../test/timing.ts';
import { createEvents, type Events } from './index.ts';
import type { OutboxEvent } from './outbox.ts';

const natsServerBin = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';
// Locally a missing binary skips; in CI it must fail, or the outage behaviour would go untested unnoticed.
const runIt = existsSync(natsServerBin) || process.env.CI === 'true';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** Starts nats-server with JetStream on `port`, storing in `storeDir`; resolves once it is ready. */
function startNatsServer(port: number, storeDir: string): Promise<ChildProcess> {
  if (!existsSync(natsServerBin)) {
    return Promise.reject(new Error(`nats-server not found at ${natsServerBin}; install it or set NATS_SERVER_BIN`));
  }
  const child = spawn(natsServerBin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Ready when it says so; an exit first fails the wait with its log. No timer: vitest's safety net catches a hang.
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Server is ready')) resolve(child);
    });
    child.on('exit', (code) => {
      reject(new Error(`nats-server exited with ${code}:\n${log}`));
    });
  });
}

async function kill(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe.skipIf(!runIt)(`NATS broker outage and restart (needs nats-server at ${natsServerBin})`, () => {
  const tenantId = newId();
  let database: TestDatabase;
  let metrics: Metrics;
  let events: Events | undefined;
  let nats: ChildProcess | undefined;
  let storeDir: string;
  let port: number;
  const deliveries: string[] = [];
  const handled: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    storeDir = await fs.mkdtemp(path.join(os.tmpdir(), 'novapos-nats-'));
    port = await freePort();
    nats = await startNatsServer(port, storeDir);
  });
  afterAll(async () => {
    await events?.close();
    await kill(nats);
    await database.close();
    await fs.rm(storeDir, { recursive: true, force: true });
  });

  it('keeps events in the outbox while the broker is down and delivers each once after it returns', async () => {
    metrics = createMetrics();
    events = await createEvents({
      config: testConfig({ EVENT_BUS_URL: `nats://127.0.0.1:${port}` }),
      db: database.db,
      metrics,
      logger: silentLogger,
      relay: { pollMs: 100, maxBackoffMs: 500 },
    });
    const ev = events;
    await eventually(() => expect(ev.bus.health().status).toBe('up'));
    await ev.bus.subscribe('collector', ['order.*'], async (event: OutboxEvent) => {
      deliveries.push(event.id);
      // A broker killed mid-flight may redeliver what it had not yet recorded as acknowledged: consumeOnce absorbs it.
      if (await consumeOnce(database.db, 'collector', event, async () => undefined)) handled.push(event.id);
    });
    ev.start();

    const before = await addEvents(database.db, tenantId, ['order.completed', 'order.completed', 'order.refunded']);
    await eventually(() => expect(handled).toEqual(before));

    await kill(nats);
    await eventually(() => expect(ev.bus.health().status).toBe('down'));

    const during = await addEvents(
      database.db,
      tenantId,
      Array.from({ length: 5 }, () => 'order.completed'),
    );
    await eventually(async () => {
      const health = await ev.health();
      expect(health).toMatchObject({ status: 'down', bus: 'nats', backlog: 5 });
      expect(health.message).toEqual(expect.any(String));
    });
    expect(await ev.relay.backlog()).toBe(5);
    expect((await metrics.outboxBacklog.get()).values[0]?.value).toBe(5);
    // The relay tried the oldest event and recorded why it failed.
    await eventually(async () => {
      const { rows } = await database.db.system.query('SELECT attempts, last_error FROM outbox WHERE id = $1', [
        during[0],
      ]);
      expect(rows[0].attempts).toBeGreaterThan(0);
      expect(rows[0].last_error).toMatch(/broker/);
    });
    expect(handled).toEqual(before);

    nats = await startNatsServer(port, storeDir);
    await ev.relay.drain(15_000);
    const all = [...before, ...during];
    await eventually(() => expect([...handled].sort()).toEqual([...all].sort()));

    expect([...occurrences(handled).values()].every((n) => n === 1)).toBe(true);
    // Events published after the restart reach the consumer exactly once, even if the relay retried them.
    const seen = occurrences(deliveries);
    for (const id of during) expect(seen.get(id)).toBe(1);
    expect((await metrics.outboxBacklog.get()).values[0]?.value).toBe(0);
    await eventually(async () => expect(await ev.health()).toMatchObject({ status: 'up', backlog: 0 }));
  });

  it('starts while the broker is down, queues the subscription and publishes once the broker appears', async () => {
    const laterPort = await freePort();
    const laterStore = await fs.mkdtemp(path.join(os.tmpdir(), 'novapos-nats-'));
    // A database of its own: the first test's relay (still connected to its broker) must not take these events.
    const laterDatabase = await createTestDatabase();
    const late = await createEvents({
      config: testConfig({ EVENT_BUS_URL: `nats://127.0.0.1:${laterPort}` }),
      db: laterDatabase.db,
      metrics: createMetrics(),
      logger: silentLogger,
      consumerGroup: 'late',
      relay: { pollMs: 100, maxBackoffMs: 500 },
    });
    let broker: ChildProcess | undefined;
    try {
      const got: string[] = [];
      // Resolves at once: the consumer is created when the connection is made.
      await late.bus.subscribe('collector', ['stock.*'], async (event) => {
        got.push(event.id);
      });
      late.start();
      const ids = await addEvents(laterDatabase.db, tenantId, ['stock.adjusted', 'stock.counted']);
      expect(late.bus.health().status).toBe('down');
      await eventually(async () => expect(await late.health()).toMatchObject({ status: 'down', backlog: 2 }));

      broker = await startNatsServer(laterPort, laterStore);
      await late.relay.drain(15_000);
      await eventually(() => expect(got).toEqual(ids));
    } finally {
      await late.close();
      await laterDatabase.close();
      await kill(broker);
      await fs.rm(laterStore, { recursive: true, force: true });
    }
  });

  it('closes promptly while the broker is down', async () => {
    const ownPort = await freePort();
    const ownStore = await fs.mkdtemp(path.join(os.tmpdir(), 'novapos-nats-'));
    const ownDatabase = await createTestDatabase();
    let broker: ChildProcess | undefined = await startNatsServer(ownPort, ownStore);
    try {
      const ev = await createEvents({
        config: testConfig({ EVENT_BUS_URL: `nats://127.0.0.1:${ownPort}` }),
        db: ownDatabase.db,
        metrics: createMetrics(),
        logger: silentLogger,
      });
      await eventually(() => expect(ev.bus.health().status).toBe('up'));
      await ev.bus.subscribe('collector', ['*'], async () => undefined);
      ev.start();
      await kill(broker);
      broker = undefined;
      const started = Date.now();
      await ev.close();
      expect(Date.now() - started).toBeLessThan(5000);
      expect(ev.bus.health()).toEqual({ status: 'down', message: 'the event bus is closed' });
    } finally {
      await kill(broker);
      await ownDatabase.close();
      await fs.rm(ownStore, { recursive: true, force: true });
    }
  });

  it('re-creates the stream and its consumers when the broker returns without its store', async () => {
    const ownPort = await freePort();
    const [firstStore, emptyStore] = await Promise.all([
      fs.mkdtemp(path.join(os.tmpdir(), 'novapos-nats-')),
      fs.mkdtemp(path.join(os.tmpdir(), 'novapos-nats-')),
    ]);
    const ownDatabase = await createTestDatabase();
    let broker: ChildProcess | undefined = await startNatsServer(ownPort, firstStore);
    const ev = await createEvents({
      config: testConfig({ EVENT_BUS_URL: `nats://127.0.0.1:${ownPort}` }),
      db: ownDatabase.db,
      metrics: createMetrics(),
      logger: silentLogger,
      relay: { pollMs: 100, maxBackoffMs: 500 },
    });
    try {
      await eventually(() => expect(ev.bus.health().status).toBe('up'));
      const got: string[] = [];
      await ev.bus.subscribe('collector', ['order.*'], async (event) => {
        got.push(event.id);
      });
      ev.start();
      const first = await addEvents(ownDatabase.db, tenantId, ['order.completed']);
      await eventually(() => expect(got).toEqual(first));

      await kill(broker);
      broker = await startNatsServer(ownPort, emptyStore);
      const second = await addEvents(ownDatabase.db, tenantId, ['order.completed']);
      await ev.relay.drain(15_000);
      await eventually(() => expect(got).toEqual([...first, ...second]));
    } finally {
      await ev.close();
      await kill(broker);
      await ownDatabase.close();
      await Promise.all([firstStore, emptyStore].map((d) => fs.rm(d, { recursive: true, force: true })));
    }
  });
});

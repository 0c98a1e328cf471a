// Helpers shared by the event tests (not a test file itself).
import { pino } from 'pino';
import { loadConfig, type Config } from '../config.ts';
import { systemContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import { tenantTx } from '../db/tx.ts';
import { addOutboxEvent, type OutboxEvent } from './outbox.ts';

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
}

/** Commits one transaction of `tenantId` that adds an event per topic; returns their ids in order. */
export function addEvents(db: Database, tenantId: string, topics: readonly string[]): Promise<string[]> {
  const ctx = systemContext(tenantId, 'req-test');
  return tenantTx(db, ctx, async (tx) => {
    const ids: string[] = [];
    for (const [i, topic] of topics.entries()) ids.push(await addOutboxEvent(tx, ctx, { topic, payload: { i } }));
    return ids;
  });
}

/** Records what a subscriber received; `handler` goes to `bus.subscribe`. */
export function collector(): {
  events: OutboxEvent[];
  ids: () => string[];
  handler: (event: OutboxEvent) => Promise<void>;
} {
  const events: OutboxEvent[] = [];
  return {
    events,
    ids: () => events.map((e) => e.id),
    handler: async (event) => {
      events.push(event);
    },
  };
}

/** How many times each id occurs. */
export function occurrences(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

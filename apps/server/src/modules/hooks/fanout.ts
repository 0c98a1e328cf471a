import type { Database } from '../../platform/db/database.ts';
import { consumeOnce, type EventBus, type OutboxEvent } from '../../platform/events/index.ts';
import { newId } from '../../platform/ids.ts';
import * as repo from './hooks.repo.ts';

/** The consumer name in processed_events (and of the NATS durable consumer). */
export const OUTGOING_WEBHOOKS_CONSUMER = 'outgoing-webhooks';

/**
 * Turns one outbox event into pending deliveries, one per enabled endpoint of its tenant subscribed to its type,
 * at most once per event (consumeOnce), and at most one per (endpoint, event) even if it ran twice (the unique
 * key). Platform events (no tenant) go to no endpoint. Returns how many deliveries it created.
 */
export async function fanOutEvent(db: Database, event: OutboxEvent): Promise<number> {
  if (event.tenantId === null) return 0;
  let created = 0;
  await consumeOnce(db, OUTGOING_WEBHOOKS_CONSUMER, event, async (tx, ctx) => {
    const payload = { type: event.topic, timestamp: event.createdAt, data: event.payload };
    for (const endpoint of await repo.endpointsFor(tx, event.topic)) {
      const inserted = await repo.insertDelivery(tx, ctx, {
        id: newId(),
        endpointId: endpoint.id,
        eventId: event.id,
        eventType: event.topic,
        payload,
      });
      if (inserted) created++;
    }
  });
  return created;
}

/**
 * Subscribes the outgoing-webhooks consumer to every topic. Call it before `events.start()`: the in-process bus
 * hands an event only to the subscribers it has when the event is published.
 */
export function subscribeOutgoingWebhooks(bus: EventBus, deps: { db: Database }): Promise<void> {
  return bus.subscribe(OUTGOING_WEBHOOKS_CONSUMER, ['*'], async (event) => {
    await fanOutEvent(deps.db, event);
  });
}

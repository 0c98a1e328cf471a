import { EventEmitter } from 'node:events';
import type { RequestContext } from '../context.ts';
import { prepared, type Queryable } from '../db/database.ts';
import type { Tx } from '../db/tx.ts';
import { newId } from '../ids.ts';
import { isValidTopic } from './topics.ts';

/** An event as services raise it: `topic` is `domain.past_tense` (e.g. `order.completed`). */
export interface DomainEvent {
  readonly topic: string;
  readonly payload: Record<string, unknown>;
}

/** An event as the relay delivers it. */
export interface OutboxEvent extends DomainEvent {
  readonly id: string;
  readonly tenantId: string | null;
  readonly requestId: string | null;
  readonly createdAt: string;
}

/**
 * Wakes this process's relay after a commit that added events. Only a hint: the relay also polls, which is how
 * events written by another process are found.
 */
export const outboxSignal = new EventEmitter();
// One listener per relay; tests build many apps in one process.
outboxSignal.setMaxListeners(0);

const INSERT_SQL = prepared(
  'outbox_insert',
  'INSERT INTO outbox (id, tenant_id, topic, payload, request_id) VALUES ($1, $2, $3, $4, $5)',
);

/**
 * Adds an event to the outbox inside the business transaction: it is published only if, and after, the
 * transaction commits.
 */
export async function addOutboxEvent(tx: Tx, ctx: RequestContext, event: DomainEvent): Promise<string> {
  // A bad topic is a programming error: refuse it here rather than leave an event no relay will publish.
  if (!isValidTopic(event.topic)) throw new Error(`outbox: "${event.topic}" is not a domain.past_tense topic`);
  const id = newId();
  await tx.query(INSERT_SQL, [
    id,
    ctx.tenantId ?? null,
    event.topic,
    JSON.stringify(event.payload),
    ctx.requestId ?? null,
  ]);
  tx.afterCommit(() => outboxSignal.emit('wake'));
  return id;
}

/**
 * Events written but not yet published, across every tenant: the backlog /health and `outbox_backlog` report. Pass
 * the system pool (the table owner sees every tenant's rows); the partial index outbox_unpublished keeps it cheap.
 */
export async function countOutboxBacklog(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
  return rows[0]?.n ?? 0;
}

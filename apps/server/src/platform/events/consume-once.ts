import { systemContext, type RequestContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import { platformTx, tenantTx, type Tx } from '../db/tx.ts';
import type { OutboxEvent } from './outbox.ts';

/**
 * Handles `event` for `consumer` at most once, however often it is delivered. The handler runs in a transaction
 * of the event's tenant (or a platform transaction for platform events), as the system actor, and that same
 * transaction records `(consumer, event id)` in `processed_events`: either both the handler's changes and the
 * record commit, or neither does and a redelivery tries again. A concurrent second delivery waits on the first's
 * row and then finds it done.
 *
 * Returns false when the event had already been handled (the handler did not run).
 */
export async function consumeOnce(
  db: Database,
  consumer: string,
  event: OutboxEvent,
  handler: (tx: Tx, ctx: RequestContext) => Promise<void>,
): Promise<boolean> {
  const ctx = systemContext(event.tenantId ?? undefined, event.requestId ?? undefined);
  const work = async (tx: Tx): Promise<boolean> => {
    const { rowCount } = await tx.query(
      `INSERT INTO processed_events (consumer, event_id, tenant_id) VALUES ($1, $2, $3)
       ON CONFLICT (consumer, event_id) DO NOTHING`,
      [consumer, event.id, event.tenantId],
    );
    if (rowCount === 0) return false;
    await handler(tx, ctx);
    return true;
  };
  return event.tenantId === null ? platformTx(db, work) : tenantTx(db, ctx, work);
}

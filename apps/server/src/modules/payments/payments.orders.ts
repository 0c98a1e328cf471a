import type { Queryable } from '../../platform/db/database.ts';

/**
 * Links intents to the order they pay, inside the order's own transaction. Intents of a new order are created
 * before the order row exists (the processor is called outside the order's transaction), so they start unlinked.
 */
export async function linkIntentsToOrder(tx: Queryable, intentIds: readonly string[], orderId: string): Promise<void> {
  if (intentIds.length === 0) return;
  await tx.query('UPDATE payment_intents SET order_id = $2, updated_at = now() WHERE id = ANY($1::uuid[])', [
    intentIds,
    orderId,
  ]);
}

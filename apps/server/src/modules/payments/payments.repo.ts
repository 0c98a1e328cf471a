import type { IntentState } from '@novapos/domain';
import { requireTenant, type RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';

export interface IntentRow {
  id: string;
  order_id: string | null;
  amount_cents: number;
  currency: string;
  capture_method: 'automatic' | 'manual';
  state: IntentState;
  authorized_cents: number;
  captured_cents: number;
  refunded_cents: number;
  card_brand: string | null;
  card_last4: string | null;
  provider: string | null;
  provider_ref: string | null;
  idempotency_key: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  authorized_at: Date | null;
  captured_at: Date | null;
  voided_at: Date | null;
}

export interface RefundRow {
  id: string;
  amount_cents: number;
  reason: string;
  provider_ref: string | null;
  created_at: Date;
}

const COLUMNS = `id, order_id, amount_cents, currency, capture_method, state, authorized_cents, captured_cents,
  refunded_cents, card_brand, card_last4, provider, provider_ref, idempotency_key, last_error, created_at,
  updated_at, authorized_at, captured_at, voided_at`;

/**
 * Inserts an intent; with an idempotency key already used by this tenant nothing is written and undefined comes
 * back (the caller then reads the first intent).
 */
export async function insertIntent(
  tx: Queryable,
  ctx: RequestContext,
  i: Pick<IntentRow, 'order_id' | 'amount_cents' | 'currency' | 'capture_method' | 'idempotency_key'>,
): Promise<string | undefined> {
  const id = newId();
  const { rowCount } = await tx.query(
    `INSERT INTO payment_intents (id, tenant_id, order_id, amount_cents, currency, capture_method, state,
       idempotency_key, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, 'created', $7, $8)
     ON CONFLICT (tenant_id, idempotency_key) DO NOTHING`,
    [
      id,
      requireTenant(ctx),
      i.order_id,
      i.amount_cents,
      i.currency,
      i.capture_method,
      i.idempotency_key,
      ctx.actorId ?? null,
    ],
  );
  return rowCount === 1 ? id : undefined;
}

/** An intent of the tenant; `forUpdate` locks its row until the transaction ends. */
export async function findIntent(tx: Queryable, id: string, forUpdate = false): Promise<IntentRow | undefined> {
  const { rows } = await tx.query<IntentRow>(
    `SELECT ${COLUMNS} FROM payment_intents WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function findIntentByKey(tx: Queryable, key: string): Promise<IntentRow | undefined> {
  const { rows } = await tx.query<IntentRow>(`SELECT ${COLUMNS} FROM payment_intents WHERE idempotency_key = $1`, [
    key,
  ]);
  return rows[0];
}

export async function orderExists(tx: Queryable, orderId: string): Promise<boolean> {
  const { rowCount } = await tx.query('SELECT 1 FROM orders WHERE id = $1', [orderId]);
  return rowCount === 1;
}

/** The columns a move may change. Timestamps of a state are set by the state itself. */
export type IntentUpdate = Partial<
  Pick<
    IntentRow,
    | 'state'
    | 'authorized_cents'
    | 'captured_cents'
    | 'refunded_cents'
    | 'card_brand'
    | 'card_last4'
    | 'provider'
    | 'provider_ref'
    | 'last_error'
  >
>;

export async function updateIntent(tx: Queryable, id: string, update: IntentUpdate): Promise<void> {
  const entries = Object.entries(update);
  const sets = entries.map(([column], i) => `${column} = $${i + 2}`);
  if (update.state === 'authorized') sets.push('authorized_at = now()');
  if (update.state === 'captured') sets.push('captured_at = now()');
  if (update.state === 'voided') sets.push('voided_at = now()');
  sets.push('updated_at = now()');
  await tx.query(`UPDATE payment_intents SET ${sets.join(', ')} WHERE id = $1`, [id, ...entries.map(([, v]) => v)]);
}

export async function insertRefund(
  tx: Queryable,
  ctx: RequestContext,
  r: { intentId: string; amountCents: number; reason: string; providerRef: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO payment_refunds (id, tenant_id, intent_id, amount_cents, reason, provider_ref, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [newId(), requireTenant(ctx), r.intentId, r.amountCents, r.reason, r.providerRef, ctx.actorId ?? null],
  );
}

export async function findRefunds(tx: Queryable, intentId: string): Promise<RefundRow[]> {
  const { rows } = await tx.query<RefundRow>(
    `SELECT id, amount_cents, reason, provider_ref, created_at FROM payment_refunds
      WHERE intent_id = $1 ORDER BY created_at, id`,
    [intentId],
  );
  return rows;
}

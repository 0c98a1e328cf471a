import type { OrderStatus, TenderMethod } from '@novapos/domain';
import { requireTenant, type RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import type { ReplayResolutionRecord } from './orders.schemas.ts';
import type { pricedLines } from './orders.pricing.ts';

export interface OrderRow {
  id: string;
  tenant_id: string;
  location_id: string;
  register_id: string;
  number: number | null;
  status: OrderStatus;
  currency: string;
  prices_include_tax: boolean;
  rounding: string;
  discount_bp: number;
  tax_rate_bps: number;
  tax_rate_source: string;
  subtotal_cents: number;
  discount_cents: number;
  tax_cents: number;
  total_cents: number;
  paid_cents: number;
  change_cents: number;
  cash_rounding_cents: number;
  note: string | null;
  created_by: string | null;
  completed_at: Date | null;
  voided_at: Date | null;
  void_reason: string | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  created_at: Date;
  // Set only on sales taken offline (migration 0022); a new order's insert leaves them to their defaults.
  created_offline_at?: Date | null;
  replay_resolution?: ReplayResolutionRecord | null;
  offline_card_review?: boolean;
}

/** A priced line as an order keeps it (the price lock). */
export type PricedLineRow = ReturnType<typeof pricedLines>[number];

export interface OrderLineRow extends PricedLineRow {
  position: number;
}

export interface OrderTenderRow {
  id: string;
  order_id: string;
  method: TenderMethod;
  tendered_cents: number;
  applied_cents: number;
  change_cents: number;
  reference: string | null;
  payment_intent_id: string | null;
  card_brand: string | null;
  card_last4: string | null;
  /** How the tender was given back when its order was cancelled (migration 0020); null while it stands. */
  reversal?: TenderReversal | null;
  reversed_at?: Date | null;
  created_at: Date;
}

/** How a tender of a cancelled order was given back. */
export type TenderReversal = 'cash_returned' | 'terminal_refund' | 'card_voided' | 'card_refunded';

/** A tender to record: a settled tender, a card with its intent and what may be printed of it. */
export type TenderRowInput = Omit<OrderTenderRow, 'id' | 'order_id' | 'created_at' | 'reversal' | 'reversed_at'>;

export type NewOrder = Omit<
  OrderRow,
  | 'tenant_id'
  | 'completed_at'
  | 'voided_at'
  | 'void_reason'
  | 'created_at'
  | 'number'
  | 'cancelled_at'
  | 'cancel_reason'
>;

export async function insertTenders(
  tx: Queryable,
  ctx: RequestContext,
  orderId: string,
  tenders: readonly TenderRowInput[],
): Promise<void> {
  if (tenders.length === 0) return;
  await tx.query(
    `INSERT INTO order_tenders (id, tenant_id, order_id, method, tendered_cents, applied_cents, change_cents,
                                reference, payment_intent_id, card_brand, card_last4, created_by)
     SELECT t.id, $1, $2, t.method, t.tendered, t.applied, t.change, t.reference, t.intent, t.brand, t.last4, $3
       FROM unnest($4::uuid[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::text[], $10::uuid[],
                   $11::text[], $12::text[])
         AS t(id, method, tendered, applied, change, reference, intent, brand, last4)`,
    [
      requireTenant(ctx),
      orderId,
      ctx.actorId ?? null,
      tenders.map(() => newId()),
      tenders.map((t) => t.method),
      tenders.map((t) => t.tendered_cents),
      tenders.map((t) => t.applied_cents),
      tenders.map((t) => t.change_cents),
      tenders.map((t) => t.reference),
      tenders.map((t) => t.payment_intent_id),
      tenders.map((t) => t.card_brand),
      tenders.map((t) => t.card_last4),
    ],
  );
}

/**
 * The register's next order number. The counter row stays locked until the order's transaction ends, so a
 * rolled-back sale gives its number back and numbers have no gaps. Sales at one register queue here; sales at
 * other registers do not.
 */
export async function nextOrderNumber(tx: Queryable, ctx: RequestContext, registerId: string): Promise<number> {
  const { rows } = await tx.query<{ last_number: number }>(
    `INSERT INTO register_counters AS c (register_id, tenant_id, last_number) VALUES ($1, $2, 1)
     ON CONFLICT (register_id) DO UPDATE SET last_number = c.last_number + 1
     RETURNING last_number`,
    [registerId, requireTenant(ctx)],
  );
  return rows[0]?.last_number ?? 1;
}

export async function findOrder(tx: Queryable, id: string, lock = false): Promise<OrderRow | undefined> {
  const { rows } = await tx.query<OrderRow>(`SELECT * FROM orders WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

const LINE_COLUMNS = `order_id, position, variant_id, product_id, sku, name, quantity, unit_price_cents, tax_code,
  tax_rate_bps, line_subtotal_cents, line_discount_cents, line_tax_cents, line_total_cents,
  discount_bp AS discount_percent_bp, item_discount_cents`;

export async function findLines(tx: Queryable, orderId: string): Promise<OrderLineRow[]> {
  return (await findLinesOf(tx, [orderId])).get(orderId) ?? [];
}

export async function findTenders(tx: Queryable, orderId: string): Promise<OrderTenderRow[]> {
  return (await findTendersOf(tx, [orderId])).get(orderId) ?? [];
}

/** The lines of several orders in one query, by order id, each in position order. */
export async function findLinesOf(tx: Queryable, orderIds: readonly string[]): Promise<Map<string, OrderLineRow[]>> {
  const { rows } = await tx.query<OrderLineRow & { order_id: string }>(
    `SELECT ${LINE_COLUMNS} FROM order_lines WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, position`,
    [orderIds],
  );
  return groupBy(rows, ({ order_id: _o, ...line }) => line);
}

/** The tenders of several orders in one query, by order id, each in (created_at, id) order. */
export async function findTendersOf(
  tx: Queryable,
  orderIds: readonly string[],
): Promise<Map<string, OrderTenderRow[]>> {
  const { rows } = await tx.query<OrderTenderRow>(
    'SELECT * FROM order_tenders WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, created_at, id',
    [orderIds],
  );
  return groupBy(rows, (tender) => tender);
}

function groupBy<R extends { order_id: string }, T>(rows: readonly R[], pick: (row: R) => T): Map<string, T[]> {
  const byOrder = new Map<string, T[]>();
  for (const row of rows) {
    const list = byOrder.get(row.order_id) ?? [];
    list.push(pick(row));
    byOrder.set(row.order_id, list);
  }
  return byOrder;
}

/** Records a completion; `p.status` is what the order state machine gave for `pay`. */
export async function markCompleted(
  tx: Queryable,
  id: string,
  p: { status: OrderStatus; number: number; paid: number; change: number; cashRounding: number },
): Promise<void> {
  await tx.query(
    `UPDATE orders SET status = $6, number = $2, paid_cents = $3, change_cents = $4,
                       cash_rounding_cents = $5, completed_at = now(), updated_at = now()
      WHERE id = $1`,
    [id, p.number, p.paid, p.change, p.cashRounding, p.status],
  );
}

/** What an open order's tenders have paid so far (a declined card left it open, partly paid). */
export async function setPaid(tx: Queryable, id: string, paidCents: number): Promise<void> {
  await tx.query('UPDATE orders SET paid_cents = $2, updated_at = now() WHERE id = $1', [id, paidCents]);
}

/** Records a void; `status` is what the order state machine gave for `void`. */
export async function markVoided(
  tx: Queryable,
  id: string,
  p: { status: OrderStatus; actorId: string | null; reason: string },
): Promise<void> {
  await tx.query(
    `UPDATE orders SET status = $4, voided_at = now(), voided_by = $2, void_reason = $3, updated_at = now()
      WHERE id = $1`,
    [id, p.actorId, p.reason, p.status],
  );
}

/** Records a cancel; `status` is what the order state machine gave for `cancel`. */
export async function markCancelled(
  tx: Queryable,
  id: string,
  p: { status: OrderStatus; actorId: string | null; reason: string },
): Promise<void> {
  await tx.query(
    `UPDATE orders SET status = $4, cancelled_at = now(), cancelled_by = $2, cancel_reason = $3, updated_at = now()
      WHERE id = $1`,
    [id, p.actorId, p.reason, p.status],
  );
}

/** Records how a tender was given back (once: a tender already reversed keeps its first record). */
export async function markTenderReversed(tx: Queryable, tenderId: string, reversal: TenderReversal): Promise<void> {
  await tx.query('UPDATE order_tenders SET reversal = $2, reversed_at = now() WHERE id = $1 AND reversal IS NULL', [
    tenderId,
    reversal,
  ]);
}

export interface OrderListFilter {
  readonly status: OrderStatus | null;
  readonly registerId: string | null;
  readonly locationId: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly locationScope: readonly string[] | null;
  readonly after: { createdAt: string; id: string } | null;
  readonly limit: number;
}

/** Newest first, keyed on (created_at, id): client ids need not be time-ordered. */
export async function listOrders(tx: Queryable, f: OrderListFilter): Promise<OrderRow[]> {
  const { rows } = await tx.query<OrderRow>(
    `SELECT * FROM orders
      WHERE ($1::text IS NULL OR status = $1)
        AND ($2::uuid IS NULL OR register_id = $2)
        AND ($3::uuid IS NULL OR location_id = $3)
        AND ($4::timestamptz IS NULL OR created_at >= $4)
        AND ($5::timestamptz IS NULL OR created_at < $5)
        AND ($6::uuid[] IS NULL OR location_id = ANY($6))
        AND ($7::timestamptz IS NULL OR (created_at, id) < ($7, $8::uuid))
      ORDER BY created_at DESC, id DESC
      LIMIT $9`,
    [
      f.status,
      f.registerId,
      f.locationId,
      f.from,
      f.to,
      f.locationScope,
      f.after?.createdAt ?? null,
      f.after?.id ?? null,
      f.limit + 1,
    ],
  );
  return rows;
}

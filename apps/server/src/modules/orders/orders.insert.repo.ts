import { requireTenant, type RequestContext } from '../../platform/context.ts';
import { prepared, type Queryable } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { NewOrder, OrderLineRow, OrderRow, OrderTenderRow, PricedLineRow, TenderRowInput } from './orders.repo.ts';

/** A new order as saved: open (parked, or partly paid), or completed at once (numbered in the same statement). */
export type NewOrderRow = NewOrder;

/** The order, its lines and tenders as they now are in the database (what `toOrderDto` would read back). */
export interface SavedOrder {
  readonly order: OrderRow;
  readonly lines: OrderLineRow[];
  readonly tenders: OrderTenderRow[];
}

/*
 * The order, its lines and its tenders in one statement (data-modifying CTEs): a sale at the till pays one round
 * trip for all of them. A completed order takes its register's next number here (`n`: the counter row stays
 * locked until COMMIT, the first lock of a sale; numbers have no gaps because a rollback returns it) and gets
 * `completed_at = now()`, as `markCompleted` sets it for an order paid later. Foreign keys are checked at the end
 * of the statement, when the order row exists.
 */
const INSERT_SQL = prepared(
  'orders_insert_new',
  `
  WITH n AS (
    INSERT INTO register_counters AS c (register_id, tenant_id, last_number)
    SELECT $4, $2, 1 WHERE $5 = 'completed'
    ON CONFLICT (register_id) DO UPDATE SET last_number = c.last_number + 1
    RETURNING last_number
  ), o AS (
    INSERT INTO orders (id, tenant_id, location_id, register_id, status, number, currency, prices_include_tax, rounding,
                        discount_bp, tax_rate_bps, tax_rate_source, subtotal_cents, discount_cents, tax_cents,
                        total_cents, paid_cents, change_cents, cash_rounding_cents, note, created_by, completed_at,
                        created_at)
    VALUES ($1, $2, $3, $4, $5, (SELECT last_number FROM n), $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
            $18, $19, $20, CASE WHEN $5 = 'completed' THEN now() END,
            -- Milliseconds, like the ISO timestamps in list cursors, so a cursor names a row exactly.
            date_trunc('milliseconds', now()))
    RETURNING number, created_at, completed_at
  ), l AS (
    INSERT INTO order_lines (id, tenant_id, order_id, position, variant_id, product_id, sku, name, quantity,
                             unit_price_cents, tax_code, tax_rate_bps, line_subtotal_cents, line_discount_cents,
                             line_tax_cents, line_total_cents, discount_bp, item_discount_cents)
    SELECT l.id, $2, $1, l.position, l.variant_id, l.product_id, l.sku, l.name, l.quantity, l.unit_price_cents,
           l.tax_code, l.tax_rate_bps, l.sub, l.disc, l.tax, l.total, l.bp, l.item
      FROM unnest($21::uuid[], $22::int[], $23::uuid[], $24::uuid[], $25::text[], $26::text[], $27::int[],
                  $28::bigint[], $29::text[], $30::int[], $31::bigint[], $32::bigint[], $33::bigint[], $34::bigint[],
                  $44::int[], $45::bigint[])
        AS l(id, position, variant_id, product_id, sku, name, quantity, unit_price_cents, tax_code, tax_rate_bps,
             sub, disc, tax, total, bp, item)
  ), t AS (
    INSERT INTO order_tenders (id, tenant_id, order_id, method, tendered_cents, applied_cents, change_cents,
                               reference, payment_intent_id, card_brand, card_last4, created_by)
    SELECT t.id, $2, $1, t.method, t.tendered, t.applied, t.change, t.reference, t.intent, t.brand, t.last4, $20
      FROM unnest($35::uuid[], $36::text[], $37::bigint[], $38::bigint[], $39::bigint[], $40::text[], $41::uuid[],
                  $42::text[], $43::text[])
        AS t(id, method, tendered, applied, change, reference, intent, brand, last4)
  )
  SELECT number, created_at, completed_at, now() AS now FROM o`,
);

/**
 * The order's id is taken in this tenant (ids are scoped to their tenant: `orders_pkey` is `(tenant_id, id)`,
 * migration 0018, so another tenant's order never collides). The caller (`createOrder`) then answers the first
 * order as a replay; this 409 is only what is left when it cannot be read back.
 */
function idTaken(cause: unknown): AppError {
  return new AppError('id_taken', 'This order id is already taken: send the sale with a new id', { cause });
}

/**
 * Saves a new order with its lines and tenders in one round trip and returns it as it now reads, so the caller
 * answers without reading it back.
 */
export async function insertNewOrder(
  tx: Queryable,
  ctx: RequestContext,
  o: NewOrderRow,
  lines: readonly PricedLineRow[],
  tenders: readonly TenderRowInput[],
): Promise<SavedOrder> {
  const tenantId = requireTenant(ctx);
  const lineIds = lines.map(() => newId());
  const tenderIds = tenders.map(() => newId());
  const col = <K extends keyof PricedLineRow>(k: K) => lines.map((l) => l[k]);
  const tcol = <K extends keyof TenderRowInput>(k: K) => tenders.map((t) => t[k]);
  const { rows } = await tx
    .query<{ number: number | null; created_at: Date; completed_at: Date | null; now: Date }>(INSERT_SQL, [
      o.id,
      tenantId,
      o.location_id,
      o.register_id,
      o.status,
      o.currency,
      o.prices_include_tax,
      o.rounding,
      o.discount_bp,
      o.tax_rate_bps,
      o.tax_rate_source,
      o.subtotal_cents,
      o.discount_cents,
      o.tax_cents,
      o.total_cents,
      o.paid_cents,
      o.change_cents,
      o.cash_rounding_cents,
      o.note,
      o.created_by,
      lineIds,
      lines.map((_, i) => i + 1),
      col('variant_id'),
      col('product_id'),
      col('sku'),
      col('name'),
      col('quantity'),
      col('unit_price_cents'),
      col('tax_code'),
      col('tax_rate_bps'),
      col('line_subtotal_cents'),
      col('line_discount_cents'),
      col('line_tax_cents'),
      col('line_total_cents'),
      tenderIds,
      tcol('method'),
      tcol('tendered_cents'),
      tcol('applied_cents'),
      tcol('change_cents'),
      tcol('reference'),
      tcol('payment_intent_id'),
      tcol('card_brand'),
      tcol('card_last4'),
      col('discount_percent_bp'),
      col('item_discount_cents'),
    ])
    .catch((err: unknown) => {
      throw isUniqueViolation(err, 'orders_pkey') ? idTaken(err) : err;
    });
  const saved = rows[0];
  if (saved === undefined) throw new Error('the order insert returned no row');
  return savedOrderOf(
    tenantId,
    o,
    lines,
    tenders.map((t, i) => ({ ...t, id: tenderIds[i] ?? '' })),
    saved,
  );
}

/**
 * The order, its lines and tenders as the database now holds them, from what was inserted and what the insert
 * returned (number, timestamps): what `toOrderDto` would read back. Pure (the receipt parity test uses it).
 */
export function savedOrderOf(
  tenantId: string,
  o: NewOrderRow,
  lines: readonly PricedLineRow[],
  tenders: readonly (TenderRowInput & { id: string })[],
  saved: { number: number | null; created_at: Date; completed_at: Date | null; now: Date },
): SavedOrder {
  return {
    order: {
      ...o,
      number: saved.number,
      tenant_id: tenantId,
      completed_at: saved.completed_at,
      voided_at: null,
      void_reason: null,
      cancelled_at: null,
      cancel_reason: null,
      created_at: saved.created_at,
    },
    lines: lines.map((l, i) => ({ ...l, position: i + 1 })),
    // Read back, tenders come in (created_at, id) order: one created_at here, and ids that grow.
    tenders: tenders.map((t) => ({ ...t, order_id: o.id, created_at: saved.now })),
  };
}

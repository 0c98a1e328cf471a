import type { Queryable } from '../../platform/db/database.ts';
import * as repo from './orders.repo.ts';
import type { OrderDto } from './orders.schemas.ts';

/** An order with its lines and tenders, as the API answers it (read from the database). */
export async function toOrderDto(tx: Queryable, o: repo.OrderRow): Promise<OrderDto> {
  const lines = await repo.findLines(tx, o.id);
  const tenders = await repo.findTenders(tx, o.id);
  return orderDto(o, lines, tenders);
}

/** An order with its lines (in position order) and tenders (in (created_at, id) order), as the API answers it. */
export function orderDto(
  o: repo.OrderRow,
  lines: readonly repo.OrderLineRow[],
  tenders: readonly repo.OrderTenderRow[],
): OrderDto {
  const itemDiscount = lines.reduce((sum, l) => sum + l.item_discount_cents, 0);
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    location_id: o.location_id,
    register_id: o.register_id,
    currency: o.currency,
    items: lines.map((l) => ({ ...l, tax_code: l.tax_code })),
    subtotal_cents: o.subtotal_cents,
    discount_percent_bp: o.discount_bp,
    discount_cents: o.discount_cents,
    item_discount_cents: itemDiscount,
    order_discount_cents: o.discount_cents - itemDiscount,
    tax_rate_bps: o.tax_rate_bps,
    tax_rate_source: o.tax_rate_source,
    tax_cents: o.tax_cents,
    total_cents: o.total_cents,
    prices_include_tax: o.prices_include_tax,
    paid_cents: o.paid_cents,
    change_cents: o.change_cents,
    cash_rounding_cents: o.cash_rounding_cents,
    tenders: tenders.map((t) => ({
      id: t.id,
      method: t.method,
      tendered_cents: t.tendered_cents,
      applied_cents: t.applied_cents,
      change_cents: t.change_cents,
      reference: t.reference,
      payment_intent_id: t.payment_intent_id,
      card_brand: t.card_brand,
      card_last4: t.card_last4,
      reversal: t.reversal ?? null,
      reversed_at: t.reversed_at?.toISOString() ?? null,
      created_at: t.created_at.toISOString(),
    })),
    note: o.note,
    created_at: o.created_at.toISOString(),
    completed_at: o.completed_at?.toISOString() ?? null,
    voided_at: o.voided_at?.toISOString() ?? null,
    void_reason: o.void_reason,
    cancelled_at: o.cancelled_at?.toISOString() ?? null,
    cancel_reason: o.cancel_reason ?? null,
    created_offline_at: o.created_offline_at?.toISOString() ?? null,
    replay_resolution: o.replay_resolution ?? null,
    offline_card_review: o.offline_card_review ?? false,
  };
}

import type { IntentRow, RefundRow } from './payments.repo.ts';
import type { IntentDto } from './payments.schemas.ts';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** An intent as the API shows it: never the idempotency key, never more of the card than brand and last four. */
export function toIntentDto(row: IntentRow, refunds: readonly RefundRow[]): IntentDto {
  return {
    id: row.id,
    order_id: row.order_id,
    amount_cents: row.amount_cents,
    currency: row.currency,
    capture_method: row.capture_method,
    state: row.state,
    authorized_cents: row.authorized_cents,
    captured_cents: row.captured_cents,
    refunded_cents: row.refunded_cents,
    card_brand: row.card_brand,
    card_last4: row.card_last4,
    provider: row.provider,
    provider_ref: row.provider_ref,
    last_error: row.last_error,
    refunds: refunds.map((r) => ({
      id: r.id,
      amount_cents: r.amount_cents,
      reason: r.reason,
      provider_ref: r.provider_ref,
      created_at: r.created_at.toISOString(),
    })),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    authorized_at: iso(row.authorized_at),
    captured_at: iso(row.captured_at),
    voided_at: iso(row.voided_at),
  };
}

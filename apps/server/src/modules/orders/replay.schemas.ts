import { Type, type Static } from 'typebox';
import { Text, Timestamp, Uuid } from '../../platform/http/schemas.ts';
import { CreateOrderBody, CreateOrderBySkuBody } from './orders.schemas.ts';
import { ReplayDiffSchema } from './replay-diff.schema.ts';

// The replay of sales taken offline (issue 13 §2, docs/pos.md "Replay"): the diff's shape, the offline sales'
// cancel and the back office's attention list. The diff itself is computed by the domain's `replayDiff`.

export const RefundBody = Type.Object(
  {
    method: Type.Union([Type.Literal('cash'), Type.Literal('external_card')]),
    amount_cents: Type.Integer({ minimum: 1, maximum: 100_000_000_000 }),
  },
  { additionalProperties: false },
);

/**
 * Cancel a sale the server refused: the queued body (its `offline` block signed by the device, so the server
 * knows which sale it is) and what was handed back to the customer.
 */
export const CancelOfflineSaleBody = Type.Object(
  {
    sale: Type.Union([CreateOrderBody, CreateOrderBySkuBody], {
      description: 'The queued order body as the till signed it, offline block included',
    }),
    reason: Text({ minLength: 1, maxLength: 500 }),
    refunds: Type.Array(RefundBody, { maxItems: 10 }),
  },
  { additionalProperties: false },
);
export type CancelOfflineSaleInput = Static<typeof CancelOfflineSaleBody>;

export const CancelledOfflineSale = Type.Object({
  id: Uuid,
  status: Type.Literal('cancelled'),
  device_id: Uuid,
  seq: Type.Integer(),
  refunded_cents: Type.Integer(),
  resolved_at: Timestamp,
});

export const AttentionGap = Type.Object({
  register_id: Uuid,
  register_name: Type.String(),
  device_id: Uuid,
  device_label: Type.String(),
  from_seq: Type.Integer(),
  to_seq: Type.Integer(),
  detected_at: Timestamp,
});

export const AttentionRefused = Type.Object({
  order_id: Uuid,
  register_id: Uuid,
  register_name: Type.String(),
  device_id: Uuid,
  device_label: Type.String(),
  seq: Type.Integer(),
  code: Type.String(),
  diff: Type.Union([ReplayDiffSchema, Type.Null()]),
  total_cents: Type.Union([Type.Integer(), Type.Null()]),
  created_offline_at: Timestamp,
  refused_at: Timestamp,
});

export const AttentionReview = Type.Object({
  order_id: Uuid,
  number: Type.Union([Type.Integer(), Type.Null()]),
  register_id: Uuid,
  register_name: Type.String(),
  total_cents: Type.Integer(),
  card_cents: Type.Integer({ description: 'What external-terminal cards paid while the till was offline' }),
  created_offline_at: Type.Union([Timestamp, Type.Null()]),
  created_at: Timestamp,
});

/** GET /v1/pos/attention: what a person must look at (docs/pos.md "Sales needing attention"). */
export const Attention = Type.Object(
  {
    currency: Type.String({ description: "The tenant's currency, for the amounts" }),
    gaps: Type.Array(AttentionGap),
    refused: Type.Array(AttentionRefused),
    review: Type.Array(AttentionReview),
  },
  { $id: 'Attention' },
);
export type AttentionDto = Static<typeof Attention>;

const Seq = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

/** A manager writes off numbers of a gap whose sales are lost (the till's storage is gone): the gap closes. */
export const WriteOffGapBody = Type.Object(
  {
    device_id: Uuid,
    from_seq: Seq,
    to_seq: Seq,
    reason: Text({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type WriteOffGapInput = Static<typeof WriteOffGapBody>;

export const WrittenOffGap = Type.Object({
  device_id: Uuid,
  from_seq: Type.Integer(),
  to_seq: Type.Integer(),
  written_off: Type.Integer({ description: 'Numbers written off (those that had arrived meanwhile are left alone)' }),
});

export const ReviewedCardSale = Type.Object({ order_id: Uuid, reviewed_at: Timestamp });

export { ReplayDiffSchema };

import { Type, type Static } from 'typebox';
import { Text, Timestamp, Uuid } from '../../platform/http/schemas.ts';

const Cents = Type.Integer({ minimum: 1, maximum: 100_000_000_000 });
const IntentState = Type.Union([
  Type.Literal('created'),
  Type.Literal('authorized'),
  Type.Literal('captured'),
  Type.Literal('partially_refunded'),
  Type.Literal('refunded'),
  Type.Literal('voided'),
]);

export const CreateIntentBody = Type.Object(
  {
    order_id: Type.Optional(Uuid),
    amount_cents: Cents,
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. USD' }),
    capture_method: Type.Optional(
      Type.Union([Type.Literal('automatic'), Type.Literal('manual')], {
        description: 'automatic (default): confirming captures too; manual: capture later',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateIntentInput = Static<typeof CreateIntentBody>;

/**
 * The token is checked by the service, not by a schema pattern: a card number sent by mistake must be refused
 * with `invalid_card_token` and must never be echoed in a validation message.
 */
export const ConfirmBody = Type.Object(
  { card_token: Text({ minLength: 1, maxLength: 100, description: 'A processor token: tok_…' }) },
  { additionalProperties: false },
);

export const CaptureBody = Type.Object({ amount_cents: Type.Optional(Cents) }, { additionalProperties: false });

export const VoidBody = Type.Object(
  { reason: Type.Optional(Text({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);

export const RefundBody = Type.Object(
  { amount_cents: Type.Optional(Cents), reason: Text({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

export const RefundSchema = Type.Object({
  id: Uuid,
  amount_cents: Type.Integer(),
  reason: Type.String(),
  provider_ref: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
});

export const IntentSchema = Type.Object(
  {
    id: Uuid,
    order_id: Type.Union([Uuid, Type.Null()]),
    amount_cents: Type.Integer(),
    currency: Type.String(),
    capture_method: Type.Union([Type.Literal('automatic'), Type.Literal('manual')]),
    state: IntentState,
    authorized_cents: Type.Integer(),
    captured_cents: Type.Integer(),
    refunded_cents: Type.Integer(),
    card_brand: Type.Union([Type.String(), Type.Null()]),
    card_last4: Type.Union([Type.String(), Type.Null()]),
    provider: Type.Union([Type.String(), Type.Null()]),
    provider_ref: Type.Union([Type.String(), Type.Null()]),
    last_error: Type.Union([Type.String(), Type.Null()]),
    refunds: Type.Array(RefundSchema),
    created_at: Timestamp,
    updated_at: Timestamp,
    authorized_at: Type.Union([Timestamp, Type.Null()]),
    captured_at: Type.Union([Timestamp, Type.Null()]),
    voided_at: Type.Union([Timestamp, Type.Null()]),
  },
  { $id: 'PaymentIntent' },
);
export type IntentDto = Static<typeof IntentSchema>;

import { Type, type Static } from 'typebox';
import { MultilineText, PageQuery, Text, Timestamp, Uuid } from '../../platform/http/schemas.ts';

/** A `domain.past_tense` topic (`order.completed`) or `*` for every event of the tenant. */
export const EventTypeSchema = Type.String({
  pattern: '^(\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+)$',
  maxLength: 100,
  description: 'An event type such as `order.completed`, or `*` for all',
});

const EventTypes = Type.Array(EventTypeSchema, { minItems: 1, maxItems: 50, uniqueItems: true });
const Url = Text({ minLength: 1, maxLength: 2048, description: 'https URL that receives the POSTs' });
const Description = MultilineText({ maxLength: 500 });

export const WebhookEndpointSchema = Type.Object({
  id: Uuid,
  url: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  event_types: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]),
  disabled_reason: Type.Union([Type.String(), Type.Null()]),
  failure_count: Type.Integer(),
  secret: Type.String({ description: 'The whole secret only in the answer to the creation; masked afterwards' }),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type WebhookEndpointDto = Static<typeof WebhookEndpointSchema>;

export const CreateWebhookEndpointBody = Type.Object(
  { url: Url, event_types: EventTypes, description: Type.Optional(Description) },
  { additionalProperties: false },
);
export type CreateWebhookEndpointInput = Static<typeof CreateWebhookEndpointBody>;

export const UpdateWebhookEndpointBody = Type.Object(
  {
    url: Type.Optional(Url),
    event_types: Type.Optional(EventTypes),
    description: Type.Optional(Type.Union([Description, Type.Null()])),
    status: Type.Optional(
      Type.Literal('enabled', { description: 'Re-enables a disabled endpoint and resets its failure count' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateWebhookEndpointInput = Static<typeof UpdateWebhookEndpointBody>;

export const EndpointIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const EndpointListQuery = PageQuery;
export type EndpointListInput = Static<typeof EndpointListQuery>;

const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const DeliveryAttemptSchema = Type.Object({
  attempt: Type.Integer(),
  at: Timestamp,
  status_code: NullableInt,
  error: NullableString,
  duration_ms: Type.Integer(),
});

export const WebhookDeliverySchema = Type.Object({
  id: Uuid,
  event_id: Uuid,
  event_type: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  next_attempt_at: Type.Union([Timestamp, Type.Null()]),
  last_status_code: NullableInt,
  last_error: NullableString,
  created_at: Timestamp,
  delivered_at: Type.Union([Timestamp, Type.Null()]),
  attempt_log: Type.Array(DeliveryAttemptSchema),
});
export type WebhookDeliveryDto = Static<typeof WebhookDeliverySchema>;

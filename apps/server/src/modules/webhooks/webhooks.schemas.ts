import { Type } from 'typebox';
import { PageQuery, Timestamp, Uuid } from '../../platform/http/schemas.ts';

export const ProviderParams = Type.Object(
  { provider: Type.String({ pattern: '^[a-z0-9_-]{1,40}$', maxLength: 40 }) },
  { additionalProperties: false },
);

export const EventIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const WebhookStatusSchema = Type.Union([
  Type.Literal('received'),
  Type.Literal('processed'),
  Type.Literal('ignored'),
  Type.Literal('failed'),
]);

export const WebhookAccepted = Type.Object({ id: Uuid, status: Type.Literal('received') });

export const WebhookEventQuery = Type.Object(
  {
    ...PageQuery.properties,
    status: Type.Optional(WebhookStatusSchema),
    provider: Type.Optional(Type.String({ pattern: '^[a-z0-9_-]{1,40}$', maxLength: 40 })),
  },
  { additionalProperties: false },
);

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

export const WebhookEventSchema = Type.Object({
  id: Uuid,
  provider: Type.String(),
  provider_header: NullableString,
  event_type: NullableString,
  external_id: NullableString,
  status: WebhookStatusSchema,
  attempts: Type.Integer(),
  next_attempt_at: NullableTimestamp,
  last_error: NullableString,
  signed_with: Type.Union([Type.Literal('active'), Type.Literal('previous')]),
  received_at: Timestamp,
  processed_at: NullableTimestamp,
  payload: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});

import { Type, type Static } from 'typebox';
import { PageQuery, Text, Timestamp, Uuid } from '../../platform/http/schemas.ts';

/** An action (`user.roles_changed`), or a prefix of actions ending in `.*` (`auth.*`). */
const ACTION_FILTER_PATTERN = '^[a-z0-9_]+(\\.[a-z0-9_]+)*(\\.\\*)?$';

export const AuditEventsQuery = Type.Object(
  {
    ...PageQuery.properties,
    actor_id: Type.Optional(Uuid),
    action: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        pattern: ACTION_FILTER_PATTERN,
        description: 'An exact action, or a prefix ending in `.*` (e.g. `auth.*`)',
      }),
    ),
    entity_type: Type.Optional(Text({ minLength: 1, maxLength: 100 })),
    entity_id: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Events at or after this instant' })),
    to: Type.Optional(
      Type.String({ format: 'date-time', description: 'Events before this instant (half-open range)' }),
    ),
  },
  { additionalProperties: false },
);
export type AuditEventsQuery = Static<typeof AuditEventsQuery>;

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const AuditEventSchema = Type.Object({
  id: Uuid,
  chain_key: Type.String({ description: '`register:<id>`, `tenant:<id>` or `platform`' }),
  seq: Type.Integer({ description: 'Position in its chain, from 1' }),
  occurred_at: Timestamp,
  actor_type: Type.Union([
    Type.Literal('user'),
    Type.Literal('platform_user'),
    Type.Literal('system'),
    Type.Literal('anonymous'),
  ]),
  actor_id: Type.Union([Uuid, Type.Null()]),
  action: Type.String(),
  entity_type: Type.String(),
  entity_id: NullableString,
  request_id: NullableString,
  data: Type.Object({}, { additionalProperties: true, description: 'Facts of the event, e.g. before/after' }),
  hash: Type.String({ description: 'sha256(prev_hash + "\\n" + canonical JSON of the row), hex' }),
  prev_hash: Type.String({ description: 'The hash of the previous row of the chain; empty for seq 1' }),
});
export type AuditEventDto = Static<typeof AuditEventSchema>;

export const AuditVerifySchema = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer({ description: 'Rows whose links and hashes were recomputed' }),
  chains: Type.Integer({ description: 'Chains of the tenant (or the platform) at the start of the check' }),
  first_bad_id: Type.Optional(Uuid),
  first_bad_chain: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
});
export type AuditVerifyResult = Static<typeof AuditVerifySchema>;

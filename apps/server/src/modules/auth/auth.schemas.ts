import { Type } from 'typebox';
import { Email, RoleSchema, Text, Uuid } from '../../platform/http/schemas.ts';
import { PIN_PATTERN } from '../../platform/pins.ts';

export const LoginBody = Type.Object(
  {
    email: Email,
    password: Text({ minLength: 1, maxLength: 1024 }),
    tenant_id: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const PinLoginBody = Type.Object(
  {
    register_id: Uuid,
    pin: Type.String({ pattern: PIN_PATTERN, description: '4 to 8 digits' }),
  },
  { additionalProperties: false },
);

export const RefreshBody = Type.Object(
  { refresh_token: Text({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
);

export const TokenPairSchema = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Seconds until the access token expires' }),
});

export const MeSchema = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('user'), Type.Literal('platform_user')]),
  email: Type.String(),
  display_name: Type.String(),
  roles: Type.Array(RoleSchema),
  tenant_id: Type.Union([Uuid, Type.Null()]),
  location_ids: Type.Array(Uuid),
  register_id: Type.Union([Uuid, Type.Null()]),
});

export const JwksSchema = Type.Object({ keys: Type.Array(Type.Object({}, { additionalProperties: true })) });

import { Type, type Static } from 'typebox';
import {
  Email,
  Name,
  PageQuery,
  SearchQuery,
  TenantRoleSchema,
  Text,
  Timestamp,
  Uuid,
} from '../../platform/http/schemas.ts';
import { PIN_PATTERN } from '../../platform/pins.ts';

const Password = Text({ minLength: 10, maxLength: 1024, description: 'At least 10 characters' });
const Pin = Type.String({ pattern: PIN_PATTERN, description: '4 to 8 digits, unique in the tenant' });
const Roles = Type.Array(TenantRoleSchema, {
  minItems: 1,
  maxItems: 4,
  uniqueItems: true,
  description: 'One or more tenant roles; only an owner grants owner, and nobody grants a role above their own',
});
const LocationIds = Type.Array(Uuid, {
  maxItems: 200,
  uniqueItems: true,
  description: 'Active locations the user may work at; empty means every location',
});

export const UserIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const UserSchema = Type.Object({
  id: Uuid,
  email: Type.String(),
  display_name: Type.String(),
  roles: Type.Array(TenantRoleSchema),
  location_ids: Type.Array(Uuid),
  active: Type.Boolean(),
  has_pin: Type.Boolean(),
  has_password: Type.Boolean(),
  last_login_at: Type.Union([Timestamp, Type.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type UserDto = Static<typeof UserSchema>;

export const CreateUserBody = Type.Object(
  {
    email: Email,
    display_name: Name,
    password: Type.Optional(Password),
    pin: Type.Optional(Pin),
    roles: Roles,
    location_ids: Type.Optional(LocationIds),
  },
  { additionalProperties: false },
);
export type CreateUserInput = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    display_name: Type.Optional(Name),
    roles: Type.Optional(Roles),
    location_ids: Type.Optional(LocationIds),
    pin: Type.Optional(Type.Union([Pin, Type.Null()], { description: 'A new PIN, or null to remove it' })),
    password: Type.Optional(Password),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserInput = Static<typeof UpdateUserBody>;

export const UserListQuery = Type.Object(
  {
    ...PageQuery.properties,
    role: Type.Optional(TenantRoleSchema),
    active: Type.Optional(Type.Boolean()),
    q: Type.Optional(SearchQuery('Part of the e-mail or name')),
  },
  { additionalProperties: false },
);
export type UserListInput = Static<typeof UserListQuery>;

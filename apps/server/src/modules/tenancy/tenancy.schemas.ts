import { Type, type Static } from 'typebox';
import { Name, PageQuery, ReceiptLines, Text, Timestamp, Uuid } from '../../platform/http/schemas.ts';

/** A store's short code (e.g. `NYC-01`), unique in the tenant. */
const LocationCode = Type.String({
  minLength: 1,
  maxLength: 32,
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
  description: 'Letters, digits, `_`, `.` and `-`; unique in the tenant',
});
const TimeZone = Text({ minLength: 1, maxLength: 64, description: 'An IANA time zone, e.g. Europe/Paris' });
const AddressLines = ReceiptLines("The store's address, printed under its name on receipts; [] removes it");
const IncludeArchived = Type.Optional(
  Type.Boolean({ default: false, description: 'Also list archived rows (default false)' }),
);

/** `/:id` of every single-row route; a malformed id is a 400 before any SQL runs. */
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const LocationSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  code: Type.Union([Type.String(), Type.Null()]),
  timezone: Type.String(),
  address_lines: Type.Array(Type.String(), { description: "The store's address, printed under its name on receipts" }),
  archived_at: Type.Union([Timestamp, Type.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type LocationDto = Static<typeof LocationSchema>;

export const CreateLocationBody = Type.Object(
  {
    name: Name,
    code: Type.Optional(Type.Union([LocationCode, Type.Null()])),
    timezone: Type.Optional(TimeZone),
    address_lines: Type.Optional(AddressLines),
  },
  { additionalProperties: false },
);
export type CreateLocationInput = Static<typeof CreateLocationBody>;

export const UpdateLocationBody = Type.Object(
  {
    name: Type.Optional(Name),
    code: Type.Optional(Type.Union([LocationCode, Type.Null()], { description: 'null removes the code' })),
    timezone: Type.Optional(TimeZone),
    address_lines: Type.Optional(AddressLines),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateLocationInput = Static<typeof UpdateLocationBody>;

export const LocationListQuery = Type.Object(
  { ...PageQuery.properties, include_archived: IncludeArchived },
  { additionalProperties: false },
);
export type LocationListInput = Static<typeof LocationListQuery>;

export const RegisterSchema = Type.Object({
  id: Uuid,
  location_id: Uuid,
  name: Type.String(),
  archived_at: Type.Union([Timestamp, Type.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type RegisterDto = Static<typeof RegisterSchema>;

export const CreateRegisterBody = Type.Object({ location_id: Uuid, name: Name }, { additionalProperties: false });
export type CreateRegisterInput = Static<typeof CreateRegisterBody>;

export const UpdateRegisterBody = Type.Object(
  { name: Type.Optional(Name) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateRegisterInput = Static<typeof UpdateRegisterBody>;

export const RegisterListQuery = Type.Object(
  { ...PageQuery.properties, location_id: Type.Optional(Uuid), include_archived: IncludeArchived },
  { additionalProperties: false },
);
export type RegisterListInput = Static<typeof RegisterListQuery>;

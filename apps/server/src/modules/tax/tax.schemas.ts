import { Type, type Static } from 'typebox';
import { PageQuery, Timestamp, Uuid } from '../../platform/http/schemas.ts';

/** A tax rate in basis points: 800 = 8 %. */
export const TaxRateBps = Type.Integer({ minimum: 0, maximum: 10_000, description: 'Basis points: 800 = 8 %' });

/** What an override applies to: the whole tenant, one location, or one register (the seeds' POS instance). */
export const TaxRateScopeSchema = Type.Union([
  Type.Literal('tenant'),
  Type.Literal('location'),
  Type.Literal('register'),
]);
export type TaxRateScope = Static<typeof TaxRateScopeSchema>;

const NullableUuid = Type.Union([Uuid, Type.Null()]);
const UuidFilter = (description: string) => Type.String({ format: 'uuid', maxLength: 36, description });

export const TaxRateOverrideSchema = Type.Object({
  id: Uuid,
  scope: TaxRateScopeSchema,
  location_id: NullableUuid,
  register_id: NullableUuid,
  rate_bps: TaxRateBps,
  created_at: Timestamp,
  updated_at: Timestamp,
  updated_by: NullableUuid,
});
export type TaxRateOverrideDto = Static<typeof TaxRateOverrideSchema>;

export const TaxRateOverrideListQuery = Type.Object(
  {
    ...PageQuery.properties,
    location_id: Type.Optional(UuidFilter("The location's override and the overrides of its registers")),
    register_id: Type.Optional(UuidFilter("The register's override")),
  },
  { additionalProperties: false },
);
export type TaxRateOverrideListInput = Static<typeof TaxRateOverrideListQuery>;

export const SetTaxRateOverrideBody = Type.Object(
  {
    location_id: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'Set for a location override' })),
    register_id: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'Set for a register override' })),
    rate_bps: TaxRateBps,
  },
  {
    additionalProperties: false,
    description: 'Neither id: the tenant-wide override. At most one of location_id and register_id.',
  },
);
export type SetTaxRateOverrideInput = Static<typeof SetTaxRateOverrideBody>;

export const OverrideIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

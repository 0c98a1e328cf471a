import { Type, type Static } from 'typebox';
import { MultilineText, PageQuery, SearchQuery, Text, Timestamp, Uuid } from '../../platform/http/schemas.ts';

/** The largest change one adjustment line may make; keeps on_hand far from the int4 limit. */
export const MAX_ADJUSTMENT_DELTA = 1_000_000;
export const MAX_ADJUSTMENT_LINES = 500;

const Sku = Text({ minLength: 1, maxLength: 64, description: 'The SKU of a variant of this tenant' });
const Threshold = Type.Integer({ minimum: 0, maximum: MAX_ADJUSTMENT_DELTA });

/** Why stock changed by hand. Sales, voids, returns and transfers are written by their own use cases. */
export const AdjustmentReasonSchema = Type.Union([
  Type.Literal('adjustment'),
  Type.Literal('receipt'),
  Type.Literal('count'),
  Type.Literal('damage'),
  Type.Literal('initial'),
]);

const AdjustmentLine = Type.Object(
  {
    sku: Type.Optional(Sku),
    variant_id: Type.Optional(Uuid),
    delta: Type.Integer({
      minimum: -MAX_ADJUSTMENT_DELTA,
      maximum: MAX_ADJUSTMENT_DELTA,
      description: 'Units added (positive) or taken (negative); never 0',
    }),
    reason: AdjustmentReasonSchema,
    note: Type.Optional(MultilineText({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false, description: 'Names its variant by exactly one of `sku` or `variant_id`' },
);
export type AdjustmentLineInput = Static<typeof AdjustmentLine>;

export const AdjustmentBody = Type.Object(
  {
    location_id: Uuid,
    lines: Type.Array(AdjustmentLine, { minItems: 1, maxItems: MAX_ADJUSTMENT_LINES }),
  },
  { additionalProperties: false },
);
export type AdjustmentInput = Static<typeof AdjustmentBody>;

/** The stock of one variant at one location, as a write leaves it. */
export const StockLevelSchema = Type.Object({
  variant_id: Uuid,
  location_id: Uuid,
  sku: Type.String(),
  on_hand: Type.Integer(),
  low_stock_threshold: Type.Union([Type.Integer(), Type.Null()]),
  below_threshold: Type.Boolean({ description: 'on_hand is at or below the low-stock threshold' }),
});
export type StockLevelDto = Static<typeof StockLevelSchema>;

export const AdjustmentResultSchema = Type.Object({
  id: Uuid,
  location_id: Uuid,
  levels: Type.Array(StockLevelSchema),
});
export type AdjustmentResultDto = Static<typeof AdjustmentResultSchema>;

/** A row of GET /v1/inventory: the level with what a person needs to recognise the item. */
export const InventoryItemSchema = Type.Object({
  ...StockLevelSchema.properties,
  product_id: Uuid,
  product_name: Type.String(),
  variant_name: Type.Union([Type.String(), Type.Null()]),
  updated_at: Timestamp,
});
export type InventoryItemDto = Static<typeof InventoryItemSchema>;

export const InventoryListQuery = Type.Object(
  {
    ...PageQuery.properties,
    location_id: Type.Optional(Uuid),
    q: Type.Optional(SearchQuery('Part of a SKU or product name')),
    below_threshold: Type.Optional(Type.Boolean({ description: 'Only levels at or below their threshold' })),
  },
  { additionalProperties: false },
);
export type InventoryListInput = Static<typeof InventoryListQuery>;

export const MovementSchema = Type.Object({
  id: Uuid,
  variant_id: Uuid,
  sku: Type.String(),
  location_id: Uuid,
  delta: Type.Integer(),
  reason: Type.String(),
  reference_type: Type.Union([Type.String(), Type.Null()]),
  reference_id: Type.Union([Uuid, Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  actor_id: Type.Union([Uuid, Type.Null()]),
  created_at: Timestamp,
});
export type MovementDto = Static<typeof MovementSchema>;

export const MovementListQuery = Type.Object(
  { ...PageQuery.properties, location_id: Type.Optional(Uuid), variant_id: Type.Optional(Uuid) },
  { additionalProperties: false },
);
export type MovementListInput = Static<typeof MovementListQuery>;

export const ThresholdBody = Type.Object(
  {
    location_id: Uuid,
    variant_id: Type.Optional(Uuid),
    sku: Type.Optional(Sku),
    low_stock_threshold: Type.Union([Threshold, Type.Null()], { description: 'null removes the threshold' }),
  },
  { additionalProperties: false, description: 'Names its variant by exactly one of `sku` or `variant_id`' },
);
export type ThresholdInput = Static<typeof ThresholdBody>;

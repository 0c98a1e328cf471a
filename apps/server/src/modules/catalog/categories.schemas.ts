import { Type, type Static } from 'typebox';
import { Name, PageQuery, Timestamp, Uuid } from '../../platform/http/schemas.ts';

const Position = Type.Integer({
  minimum: -1_000_000,
  maximum: 1_000_000,
  description: 'Sort order on the till and in the back office (lower first)',
});

export const CategorySchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  position: Type.Integer(),
  archived_at: Type.Union([Timestamp, Type.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type CategoryDto = Static<typeof CategorySchema>;

export const CreateCategoryBody = Type.Object(
  { name: Name, position: Type.Optional(Position) },
  { additionalProperties: false },
);
export type CreateCategoryInput = Static<typeof CreateCategoryBody>;

export const UpdateCategoryBody = Type.Object(
  { name: Type.Optional(Name), position: Type.Optional(Position) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCategoryInput = Static<typeof UpdateCategoryBody>;

/** The most categories one reorder names: tens in a real shop; 10,000 × 10 stays inside the position range. */
export const MAX_ORDERED_CATEGORIES = 10_000;

export const CategoryOrderBody = Type.Object(
  {
    ids: Type.Array(Uuid, {
      maxItems: MAX_ORDERED_CATEGORIES,
      description:
        'Every active category of the tenant, each once, in the wanted order; they get positions 10, 20, 30…',
    }),
  },
  { additionalProperties: false },
);
export type CategoryOrderInput = Static<typeof CategoryOrderBody>;

export const CategoryOrderResult = Type.Object({
  data: Type.Array(CategorySchema, { description: 'The active categories in their new order' }),
});
export type CategoryOrderDto = Static<typeof CategoryOrderResult>;

export const CategoryListQuery = Type.Object(
  {
    ...PageQuery.properties,
    include_archived: Type.Optional(Type.Boolean({ default: false, description: 'Also list archived categories' })),
  },
  { additionalProperties: false },
);
export type CategoryListInput = Static<typeof CategoryListQuery>;

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

export const CategoryListQuery = Type.Object(
  {
    ...PageQuery.properties,
    include_archived: Type.Optional(Type.Boolean({ default: false, description: 'Also list archived categories' })),
  },
  { additionalProperties: false },
);
export type CategoryListInput = Static<typeof CategoryListQuery>;

import { Type, type Static } from 'typebox';
import { MultilineText, Name, PageQuery, SearchQuery, Timestamp, Uuid } from '../../platform/http/schemas.ts';

/** The largest price a variant may carry: 10^11 minor units (a billion in a two-decimal currency). */
export const MAX_PRICE_CENTS = 100_000_000_000;
export const MAX_VARIANTS_PER_PRODUCT = 100;
export const MAX_BARCODES_PER_VARIANT = 20;
/** A SKU is printable ASCII without spaces, so it survives labels, scanners and spreadsheets unchanged. */
export const SKU_PATTERN = '^[!-~]{1,64}$';
export const BARCODE_PATTERN = '^[0-9A-Za-z-]{1,64}$';

export const TaxCodeSchema = Type.Union(
  [Type.Literal('STD'), Type.Literal('EXEMPT'), Type.Literal('ZERO'), Type.Literal('NONE')],
  { description: 'STD is taxed at the applicable rate; EXEMPT, ZERO and NONE are not' },
);
export const Sku = Type.String({
  pattern: SKU_PATTERN,
  description: '1 to 64 printable ASCII characters, no spaces; unique in the tenant (archived variants count)',
});
export const Barcode = Type.String({
  pattern: BARCODE_PATTERN,
  description: '1 to 64 of 0-9, A-Z, a-z and -; unique in the tenant',
});
export const PriceCents = Type.Integer({
  minimum: 0,
  maximum: MAX_PRICE_CENTS,
  description: 'Price in minor units of the tenant currency',
});
const Description = MultilineText({ maxLength: 2000 });
const Barcodes = Type.Array(Barcode, { maxItems: MAX_BARCODES_PER_VARIANT, uniqueItems: true });
const NullableUuid = Type.Union([Uuid, Type.Null()]);

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const VariantSchema = Type.Object({
  id: Uuid,
  product_id: Uuid,
  sku: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  price_cents: Type.Integer(),
  tax_code: TaxCodeSchema,
  barcodes: Type.Array(Type.String()),
  archived_at: Type.Union([Timestamp, Type.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type VariantDto = Static<typeof VariantSchema>;

export const ProductSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  category_id: Type.Union([Uuid, Type.Null()]),
  archived_at: Type.Union([Timestamp, Type.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
  variants: Type.Array(VariantSchema),
});
export type ProductDto = Static<typeof ProductSchema>;

export const NewVariantBody = Type.Object(
  {
    sku: Sku,
    name: Type.Optional(Name),
    price_cents: PriceCents,
    tax_code: Type.Optional(TaxCodeSchema),
    barcodes: Type.Optional(Barcodes),
  },
  { additionalProperties: false },
);
export type NewVariantInput = Static<typeof NewVariantBody>;

/** The most units of opening stock one variant receives at one location (an adjustment's largest line). */
export const MAX_OPENING_STOCK = 1_000_000;

export const OpeningStockBody = Type.Object(
  {
    location_id: Uuid,
    quantity: Type.Integer({ minimum: 1, maximum: MAX_OPENING_STOCK, description: 'Units on hand to start with' }),
  },
  { additionalProperties: false },
);

/** A variant of a new product: a variant's fields, and its opening stock per location. */
export const NewProductVariantBody = Type.Object(
  {
    ...NewVariantBody.properties,
    opening_stock: Type.Optional(
      Type.Array(OpeningStockBody, {
        maxItems: 200,
        description:
          'Stock to start with, at most once per location: received as "Opening stock" (reason `initial`) in the ' +
          "product's transaction and audited as `inventory.adjusted`. Without it the variant has no stock, and the " +
          'tills refuse to sell it while the shop blocks sales beyond stock',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CreateProductBody = Type.Object(
  {
    name: Name,
    description: Type.Optional(Description),
    category_id: Type.Optional(NullableUuid),
    variants: Type.Array(NewProductVariantBody, { minItems: 1, maxItems: MAX_VARIANTS_PER_PRODUCT }),
  },
  { additionalProperties: false },
);
export type CreateProductInput = Static<typeof CreateProductBody>;

/** A product just created: the product, the stock it starts with, and whether the tills sell beyond stock. */
export const CreatedProductSchema = Type.Object({
  ...ProductSchema.properties,
  opening_stock: Type.Array(
    Type.Object({
      location_id: Uuid,
      location_name: Type.String(),
      variant_id: Uuid,
      sku: Type.String(),
      on_hand: Type.Integer(),
    }),
    { description: 'Each variant stocked at creation, per location: its stock now' },
  ),
  stock_policy: Type.Union([Type.Literal('block'), Type.Literal('allow_negative')], {
    description:
      "The shop's policy when a sale takes more than is in stock: `block` refuses it (a manager may approve it at " +
      'the till), `allow_negative` lets stock go below zero',
  }),
});
export type CreatedProductDto = Static<typeof CreatedProductSchema>;

export const UpdateProductBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Type.Union([Description, Type.Null()], { description: 'null removes it' })),
    category_id: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'null removes the category' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateProductInput = Static<typeof UpdateProductBody>;

export const UpdateVariantBody = Type.Object(
  {
    sku: Type.Optional(Sku),
    name: Type.Optional(Type.Union([Name, Type.Null()], { description: 'null removes the variant name' })),
    price_cents: Type.Optional(PriceCents),
    tax_code: Type.Optional(TaxCodeSchema),
    barcodes: Type.Optional(
      Type.Array(Barcode, {
        maxItems: MAX_BARCODES_PER_VARIANT,
        uniqueItems: true,
        description: 'Replaces the set of barcodes',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateVariantInput = Static<typeof UpdateVariantBody>;

export const ProductListQuery = Type.Object(
  {
    ...PageQuery.properties,
    q: Type.Optional(SearchQuery('Part of the product name (similar spellings match too), or the start of a SKU')),
    category_id: Type.Optional(Uuid),
    include_archived: Type.Optional(Type.Boolean({ default: false, description: 'Also list archived products' })),
  },
  { additionalProperties: false },
);
export type ProductListInput = Static<typeof ProductListQuery>;

export const LookupQuery = Type.Object({ barcode: Barcode }, { additionalProperties: false });

export const LookupSchema = Type.Object({
  ...VariantSchema.properties,
  product_name: Type.String(),
  archived: Type.Boolean({ description: 'The variant or its product is archived: the till must not sell it' }),
});
export type LookupDto = Static<typeof LookupSchema>;

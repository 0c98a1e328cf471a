import { Type, type Static } from 'typebox';
import { MultilineText, PageQuery, Text, Timestamp, Uuid } from '../../platform/http/schemas.ts';
import { ReplayDiffSchema } from './replay-diff.schema.ts';

const Quantity = Type.Integer({ minimum: 1, maximum: 100_000, description: 'A positive whole number' });
const DiscountBp = Type.Integer({
  minimum: 0,
  maximum: 10_000,
  description: "Order discount in basis points (1000 = 10 %), taken after the lines' own discounts",
});
const LineDiscountBp = Type.Integer({
  minimum: 0,
  maximum: 10_000,
  description: "This line's own discount in basis points (1000 = 10 %), taken before the order discount",
});
const TaxRateBps = Type.Integer({
  minimum: 0,
  maximum: 10_000,
  description: 'Explicit tax rate (manager or above); beats every override',
});
const Sku = Text({ minLength: 1, maxLength: 64 });
const Note = MultilineText({ maxLength: 500 });
const TaxCode = Type.Union([Type.Literal('STD'), Type.Literal('EXEMPT'), Type.Literal('ZERO'), Type.Literal('NONE')]);

/** A line of /v1/orders/compute: one of sku, product_id or variant_id. */
export const ComputeItem = Type.Object(
  {
    sku: Type.Optional(Sku),
    product_id: Type.Optional(Uuid),
    variant_id: Type.Optional(Uuid),
    quantity: Quantity,
    discount_percent_bp: Type.Optional(LineDiscountBp),
  },
  { additionalProperties: false },
);

export const SkuItem = Type.Object(
  { sku: Sku, quantity: Quantity, discount_percent_bp: Type.Optional(LineDiscountBp) },
  { additionalProperties: false },
);
export const IdItem = Type.Object(
  {
    product_id: Type.Optional(Uuid),
    variant_id: Type.Optional(Uuid),
    quantity: Quantity,
    discount_percent_bp: Type.Optional(LineDiscountBp),
  },
  { additionalProperties: false },
);

const TenderCents = Type.Integer({ minimum: 1, maximum: 100_000_000_000 });

/**
 * Cash or a stand-alone terminal's card, or a card charged here through the processor (`card`, with the token the
 * card reader gave: never a card number; the pattern is not echoed with the value in a 400).
 */
export const TenderBody = Type.Union([
  Type.Object(
    {
      method: Type.Union([Type.Literal('cash'), Type.Literal('external_card')]),
      amount_cents: TenderCents,
      reference: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'Terminal reference of a card' })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      method: Type.Literal('card'),
      amount_cents: TenderCents,
      card_token: Type.String({ pattern: '^tok_[a-z0-9_]{1,64}$', description: 'A processor token: tok_…' }),
    },
    { additionalProperties: false },
  ),
]);

export type TenderBodyInput = Static<typeof TenderBody>;

const Items = <T extends typeof ComputeItem | typeof SkuItem | typeof IdItem>(item: T) =>
  Type.Array(item, { minItems: 1, maxItems: 500 });

export const ComputeBody = Type.Object(
  {
    items: Items(ComputeItem),
    discount_percent_bp: Type.Optional(DiscountBp),
    tax_rate_bps: Type.Optional(TaxRateBps),
    location_id: Type.Optional(Uuid),
    register_id: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type ComputeInput = Static<typeof ComputeBody>;

const CentsLimit = { minimum: 0, maximum: 100_000_000_000 };

/** What the till showed when it took a sale offline: the evidence a replay is checked against (docs/pos.md "Replay"). */
export const PriceLockBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object({ variant_id: Uuid, unit_price_cents: Type.Integer(CentsLimit) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 500, description: 'One per item, in the order of items' },
    ),
    tax_rate_bps: Type.Integer({ minimum: 0, maximum: 10_000 }),
    total_cents: Type.Integer(CentsLimit),
  },
  { additionalProperties: false },
);

/** A sale a till queued while offline: its device, its number in the device's sequence, its clock, its signature. */
export const OfflineBody = Type.Object(
  {
    device_id: Uuid,
    seq: Type.Integer({
      minimum: 1,
      maximum: 2_147_483_647,
      description: "The sale's number in the device's unbroken sequence",
    }),
    created_at: Type.String({
      format: 'date-time',
      maxLength: 40,
      description: "The till's clock when the sale was taken",
    }),
    signature: Type.String({
      pattern: '^[A-Za-z0-9_-]{86}$',
      description: "The device's Ed25519 signature (base64url, no padding) over offlineSigningPayload(body)",
    }),
  },
  { additionalProperties: false },
);

export const ReplayResolutionKind = Type.Union([
  Type.Literal('accept_server_prices'),
  Type.Literal('keep_till_prices'),
  Type.Literal('sell_beyond_stock'),
]);

/** A person's choice after a replay conflict: not signed by the device; its approvals are the server's own tokens. */
export const ReplayResolutionBody = Type.Object(
  {
    kind: ReplayResolutionKind,
    approval: Type.Optional(
      Text({ maxLength: 4000, description: "A manager's approval (POST /v1/pos/replay-approvals) of this kind" }),
    ),
    stock_approval: Type.Optional(
      Text({
        maxLength: 4000,
        description: "A manager's sell_beyond_stock approval, when a price resolution's sale is also short of stock",
      }),
    ),
    tenders: Type.Optional(
      Type.Array(TenderBody, { maxItems: 10, description: 'Taken now to settle a higher server total' }),
    ),
  },
  { additionalProperties: false },
);
export type ReplayResolutionInput = Static<typeof ReplayResolutionBody>;

const orderFields = {
  id: Type.Optional(
    Type.String({ format: 'uuid', description: 'Client-generated id: a replay returns the first order' }),
  ),
  location_id: Type.Optional(Uuid),
  register_id: Uuid,
  discount_percent_bp: Type.Optional(DiscountBp),
  discount_approval: Type.Optional(
    Text({
      maxLength: 4000,
      description: "A manager's approval (POST /v1/pos/discount-approvals) of a discount above the cashier's limit",
    }),
  ),
  stock_approval: Type.Optional(
    Text({
      maxLength: 4000,
      description:
        "A manager's approval (POST /v1/pos/stock-approvals) to sell this sale beyond stock while the shop's " +
        'policy blocks it: the sale completes, stock goes below zero, and `order.oversold` is audited',
    }),
  ),
  tax_rate_bps: Type.Optional(TaxRateBps),
  note: Type.Optional(Note),
  tenders: Type.Optional(
    Type.Array(TenderBody, {
      maxItems: 10,
      description:
        'Payments now: tenders covering the total complete the order; none (omitted) parks it. An empty list ' +
        'completes an order whose total is 0 (nothing to pay) and parks any other',
    }),
  ),
  price_lock: Type.Optional(PriceLockBody),
  offline: Type.Optional(OfflineBody),
  replay_resolution: Type.Optional(ReplayResolutionBody),
};

export const CreateOrderBySkuBody = Type.Object(
  { ...orderFields, items: Items(SkuItem) },
  { additionalProperties: false },
);
export const CreateOrderBody = Type.Object({ ...orderFields, items: Items(IdItem) }, { additionalProperties: false });
export type CreateOrderInput = Static<typeof CreateOrderBody> | Static<typeof CreateOrderBySkuBody>;

export const AddTendersBody = Type.Object(
  { tenders: Type.Array(TenderBody, { minItems: 1, maxItems: 10 }), stock_approval: orderFields.stock_approval },
  { additionalProperties: false },
);

/** An order's status (the domain's order state machine). */
const OrderStatusSchema = Type.Union([
  Type.Literal('open'),
  Type.Literal('completed'),
  Type.Literal('voided'),
  Type.Literal('cancelled'),
]);

/** Why a sale in progress is cancelled at the till (audited, kept on the order). */
export const CancelBody = Type.Object(
  { reason: Text({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

export const VoidBody = Type.Object(
  { reason: Text({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

export const OrderListQuery = Type.Object(
  {
    ...PageQuery.properties,
    status: Type.Optional(OrderStatusSchema),
    register_id: Type.Optional(Uuid),
    location_id: Type.Optional(Uuid),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export type OrderListInput = Static<typeof OrderListQuery>;

export const ExplainQuery = Type.Object({ explain: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

/** A priced line, as compute answers it and as an order keeps it. */
export const PricedLine = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  quantity: Type.Integer(),
  unit_price_cents: Type.Integer(),
  line_subtotal_cents: Type.Integer(),
  line_discount_cents: Type.Integer({ description: "All the line's discount: its own plus its share of the order's" }),
  discount_percent_bp: Type.Integer({ description: "The line's own discount in basis points (0 for none)" }),
  item_discount_cents: Type.Integer({ description: "The line's own discount (line subtotal × discount_percent_bp)" }),
  line_tax_cents: Type.Integer(),
  line_total_cents: Type.Integer(),
  tax_code: TaxCode,
  tax_rate_bps: Type.Integer(),
});

const TaxLine = Type.Object({
  code: Type.String(),
  rate_bps: Type.Integer(),
  taxable_cents: Type.Integer(),
  tax_cents: Type.Integer(),
});

/** The discounts of a cart or order: every discount, and what the lines' own and the order discount gave. */
const DiscountTotals = {
  discount_cents: Type.Integer({ description: 'Every discount: item_discount_cents + order_discount_cents' }),
  item_discount_cents: Type.Integer({ description: "Σ the lines' own discounts" }),
  order_discount_cents: Type.Integer({ description: 'The order discount, on what the lines cost after their own' }),
};

export const ComputeResult = Type.Object({
  items: Type.Array(PricedLine),
  subtotal_cents: Type.Integer(),
  ...DiscountTotals,
  tax_cents: Type.Integer(),
  total_cents: Type.Integer(),
  currency: Type.String(),
  tax_rate_bps: Type.Integer(),
  tax_rate_source: Type.String(),
  prices_include_tax: Type.Boolean(),
  taxes: Type.Array(TaxLine),
  cash_due_cents: Type.Optional(Type.Integer()),
  trace: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
});
export type ComputeResult = Static<typeof ComputeResult>;

export const OrderLineSchema = Type.Object({
  ...PricedLine.properties,
  position: Type.Integer(),
  variant_id: Uuid,
  product_id: Uuid,
});

export const OrderTenderSchema = Type.Object({
  id: Uuid,
  method: Type.Union([Type.Literal('cash'), Type.Literal('external_card'), Type.Literal('card')]),
  tendered_cents: Type.Integer(),
  applied_cents: Type.Integer(),
  change_cents: Type.Integer(),
  reference: Type.Union([Type.String(), Type.Null()]),
  payment_intent_id: Type.Union([Uuid, Type.Null()]),
  card_brand: Type.Union([Type.String(), Type.Null()]),
  card_last4: Type.Union([Type.String(), Type.Null()]),
  reversal: Type.Union(
    [
      Type.Literal('cash_returned'),
      Type.Literal('terminal_refund'),
      Type.Literal('card_voided'),
      Type.Literal('card_refunded'),
      Type.Null(),
    ],
    {
      description:
        'How this tender was given back when its order was cancelled: cash handed back, a stand-alone terminal ' +
        'refund, a card authorisation voided or a captured card refunded; null while it stands',
    },
  ),
  reversed_at: Type.Union([Timestamp, Type.Null()]),
  created_at: Timestamp,
});

/** How a refused replay was resolved, as the order keeps it. */
export const ReplayResolutionRecord = Type.Object({
  kind: ReplayResolutionKind,
  manager_id: Type.Union([Uuid, Type.Null()]),
  approval_id: Type.Union([Uuid, Type.Null()]),
  stock_approval_id: Type.Union([Uuid, Type.Null()]),
  till_total_cents: Type.Union([Type.Integer(), Type.Null()]),
  server_total_cents: Type.Integer({ description: "What the server's prices made the sale at replay" }),
  diff: ReplayDiffSchema,
});
export type ReplayResolutionRecord = Static<typeof ReplayResolutionRecord>;

export const OrderSchema = Type.Object({
  id: Uuid,
  number: Type.Union([Type.Integer(), Type.Null()]),
  status: OrderStatusSchema,
  location_id: Uuid,
  register_id: Uuid,
  currency: Type.String(),
  items: Type.Array(OrderLineSchema),
  subtotal_cents: Type.Integer(),
  discount_percent_bp: Type.Integer(),
  ...DiscountTotals,
  tax_rate_bps: Type.Integer(),
  tax_rate_source: Type.String(),
  tax_cents: Type.Integer(),
  total_cents: Type.Integer(),
  prices_include_tax: Type.Boolean(),
  paid_cents: Type.Integer(),
  change_cents: Type.Integer(),
  cash_rounding_cents: Type.Integer(),
  tenders: Type.Array(OrderTenderSchema),
  note: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
  completed_at: Type.Union([Timestamp, Type.Null()]),
  voided_at: Type.Union([Timestamp, Type.Null()]),
  void_reason: Type.Union([Type.String(), Type.Null()]),
  cancelled_at: Type.Union([Timestamp, Type.Null()]),
  cancel_reason: Type.Union([Type.String(), Type.Null()]),
  created_offline_at: Type.Union([Timestamp, Type.Null()], {
    description: "The till's clock when a sale taken offline was made (created_at is the server's)",
  }),
  replay_resolution: Type.Union([ReplayResolutionRecord, Type.Null()]),
  offline_card_review: Type.Boolean({
    description: 'A card taken on an external terminal while the till was offline: marked for review',
  }),
});
export type OrderDto = Static<typeof OrderSchema>;

import { Type, type Static } from 'typebox';
import { Text, Timestamp, Uuid } from '../../platform/http/schemas.ts';

export const TillContextQuery = Type.Object({ register_id: Uuid }, { additionalProperties: false });

/** What a till needs to price a cart exactly as the server will (the inputs of `priceCart`), and its limits. */
export const TillContext = Type.Object(
  {
    register_id: Uuid,
    register_name: Type.String(),
    location_id: Uuid,
    location_name: Type.String(),
    business_name: Type.String({ description: 'The shop name printed on receipts' }),
    time_zone: Type.String({ description: "The location's IANA time zone (receipt dates)" }),
    address_lines: Type.Array(Type.String(), { description: "The location's address, printed under its name" }),
    receipt_footer_lines: Type.Array(Type.String(), {
      description: "The receipt's footer: the tenant's lines, or the default footer when it has none",
    }),
    currency: Type.String(),
    tax_rate_bps: Type.Integer(),
    tax_rate_source: Type.String(),
    prices_include_tax: Type.Boolean(),
    money_rounding: Type.Union([Type.Literal('half_up'), Type.Literal('truncate'), Type.Literal('bankers')]),
    cash_rounding_cents: Type.Union([Type.Integer(), Type.Null()]),
    cashier_discount_limit_bp: Type.Integer({
      description: "Largest discount on any line (its own and the order's, stacked) a cashier gives alone",
    }),
    card_payments: Type.Boolean({ description: 'Whether card tenders go to a processor' }),
    offline_card_policy: Type.Object(
      {
        mode: Type.Union([Type.Literal('refuse'), Type.Literal('external_terminal')]),
        max_sale_cents: Type.Integer({ description: 'Largest card sale on an external terminal while offline' }),
        max_outage_cents: Type.Integer({ description: 'Most card money taken on external terminals in one outage' }),
      },
      { description: 'Cards while the till is offline: refused (default) or on an external terminal, within caps' },
    ),
  },
  { $id: 'TillContext' },
);
export type TillContext = Static<typeof TillContext>;

export const DiscountApprovalBody = Type.Object(
  {
    register_id: Uuid,
    order_id: Type.String({ format: 'uuid', description: "The sale's client id: the approval is for it only" }),
    discount_bp: Type.Integer({
      minimum: 1,
      maximum: 10_000,
      description: "The largest discount on any line of the sale (its own and the order's, stacked) to approve",
    }),
    pin: Type.String({ pattern: '^[0-9]{4,8}$', description: "The approving manager's PIN" }),
  },
  { additionalProperties: false },
);
export type DiscountApprovalInput = Static<typeof DiscountApprovalBody>;

export const DiscountApprovalResult = Type.Object(
  {
    approval: Type.String({ description: 'Send as discount_approval with the order' }),
    approval_id: Uuid,
    manager_id: Uuid,
    manager_name: Type.String(),
    max_discount_bp: Type.Integer(),
    expires_at: Timestamp,
  },
  { $id: 'DiscountApprovalResult' },
);

export const DeviceParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const OneDeviceParams = Type.Object({ id: Uuid, device_id: Uuid }, { additionalProperties: false });

/** A till device of a register, as the back office lists it. */
export const DeviceSchema = Type.Object({
  device_id: Uuid,
  register_id: Uuid,
  label: Type.String(),
  public_key: Type.String({ description: 'The raw Ed25519 public key, base64url' }),
  created_at: Timestamp,
  revoked_at: Type.Union([Timestamp, Type.Null()]),
});
export type DeviceDto = Static<typeof DeviceSchema>;
export const DeviceList = Type.Object({ devices: Type.Array(DeviceSchema) });

/** A till device's public key, made by the till at set-up (docs/pos.md "Replay"). */
export const RegisterDeviceBody = Type.Object(
  {
    public_key: Type.String({
      pattern: '^[A-Za-z0-9_-]{43}$',
      description: 'The raw Ed25519 public key (32 bytes), base64url without padding',
    }),
    label: Text({ minLength: 1, maxLength: 100, description: 'Which till this is, for the back office' }),
  },
  { additionalProperties: false },
);
export type RegisterDeviceInput = Static<typeof RegisterDeviceBody>;

export const RegisterDeviceResult = Type.Object({
  device_id: Uuid,
  register_id: Uuid,
  label: Type.String(),
  created_at: Timestamp,
});
export type RegisterDeviceResult = Static<typeof RegisterDeviceResult>;

/** A manager's PIN approves one replay resolution of one refused sale (keep the till's prices, sell beyond stock). */
export const ReplayApprovalBody = Type.Object(
  {
    register_id: Uuid,
    order_id: Type.String({ format: 'uuid', description: "The refused sale's client id: the approval is for it only" }),
    kind: Type.Union([Type.Literal('keep_till_prices'), Type.Literal('sell_beyond_stock')]),
    pin: Type.String({ pattern: '^[0-9]{4,8}$', description: "The approving manager's PIN" }),
  },
  { additionalProperties: false },
);
export type ReplayApprovalInput = Static<typeof ReplayApprovalBody>;

export const ReplayApprovalResult = Type.Object({
  approval: Type.String({ description: 'Send in replay_resolution (approval, or stock_approval) with the sale' }),
  approval_id: Uuid,
  kind: Type.Union([Type.Literal('keep_till_prices'), Type.Literal('sell_beyond_stock')]),
  manager_id: Uuid,
  manager_name: Type.String(),
  expires_at: Timestamp,
});

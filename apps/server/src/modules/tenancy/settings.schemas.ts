import { Type, type Static } from 'typebox';
import { Name, ReceiptLines, Text, Timestamp } from '../../platform/http/schemas.ts';

const RoundingModeSchema = Type.Union([Type.Literal('half_up'), Type.Literal('truncate'), Type.Literal('bankers')]);
const StockPolicySchema = Type.Union([Type.Literal('block'), Type.Literal('allow_negative')]);
const CashRoundingCents = Type.Integer({
  minimum: 1,
  maximum: 100_000,
  description: 'The smallest coin, in minor units (5 rounds cash totals to 5 cents); null: no cash rounding',
});

const OfflineSigninGraceHours = Type.Integer({
  minimum: 0,
  maximum: 168,
  description:
    'How many hours after a PIN was last verified online a till still accepts it while the server is unreachable ' +
    '(offline sign-in); 0 switches offline sign-in off',
});
const OfflineCardMode = Type.Union([Type.Literal('refuse'), Type.Literal('external_terminal')], {
  description: 'Cards while a till is offline: refused, or taken on an external terminal within the caps',
});
const OfflineCardCap = Type.Integer({ minimum: 0, maximum: 100_000_000_000 });

const TimeZone = Text({
  minLength: 1,
  maxLength: 64,
  description: 'An IANA time zone, e.g. Europe/Paris; stored in its canonical spelling',
});

/** The tenant's name, time zone and how its money and stock behave, as the back office shows and edits it. */
export const TenantSettingsSchema = Type.Object({
  name: Type.String({ description: 'The business name, printed on receipts' }),
  timezone: Type.String({
    description: 'IANA time zone: reports of the whole shop count days in it; new locations start with it',
  }),
  currency: Type.String({ description: 'ISO 4217 code of the tenant' }),
  prices_include_tax: Type.Boolean({ description: 'Prices are gross (VAT countries): tax is inside the price' }),
  money_rounding: Type.Union([RoundingModeSchema, Type.Null()], {
    description: "The tenant's rounding mode; null uses the server's MONEY_ROUNDING",
  }),
  effective_money_rounding: RoundingModeSchema,
  cash_rounding_cents: Type.Union([CashRoundingCents, Type.Null()]),
  stock_policy: StockPolicySchema,
  receipt_footer_lines: Type.Array(Type.String(), {
    description: 'Printed at the bottom of every receipt; empty prints "Thank you for your purchase!"',
  }),
  offline_signin_grace_hours: OfflineSigninGraceHours,
  offline_card_mode: OfflineCardMode,
  offline_card_max_sale_cents: Type.Integer({ description: 'Largest card sale on an external terminal offline' }),
  offline_card_max_outage_cents: Type.Integer({ description: 'Most card money on external terminals per outage' }),
  updated_at: Timestamp,
});
export type TenantSettingsDto = Static<typeof TenantSettingsSchema>;

export const UpdateTenantSettingsBody = Type.Object(
  {
    name: Type.Optional(Name),
    timezone: Type.Optional(TimeZone),
    prices_include_tax: Type.Optional(Type.Boolean()),
    money_rounding: Type.Optional(Type.Union([RoundingModeSchema, Type.Null()])),
    cash_rounding_cents: Type.Optional(Type.Union([CashRoundingCents, Type.Null()])),
    stock_policy: Type.Optional(StockPolicySchema),
    receipt_footer_lines: Type.Optional(ReceiptLines('The receipt footer; [] goes back to the default footer')),
    offline_signin_grace_hours: Type.Optional(OfflineSigninGraceHours),
    offline_card_mode: Type.Optional(OfflineCardMode),
    offline_card_max_sale_cents: Type.Optional(OfflineCardCap),
    offline_card_max_outage_cents: Type.Optional(OfflineCardCap),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateTenantSettingsInput = Static<typeof UpdateTenantSettingsBody>;

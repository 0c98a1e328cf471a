import { Type, type Static } from 'typebox';
import { Uuid } from '../../platform/http/schemas.ts';

const Cents = Type.Integer({ description: 'Minor units of the currency' });
const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A calendar day in `timezone`' });

/** `?location_id=` of every report: one location, or every location the caller works at. */
export const ReportQuery = Type.Object({ location_id: Type.Optional(Uuid) }, { additionalProperties: false });
export type ReportQueryInput = Static<typeof ReportQuery>;

export const HourlyQuery = Type.Object(
  {
    location_id: Type.Optional(Uuid),
    days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 31, default: 7, description: 'Today and the days before it' }),
    ),
  },
  { additionalProperties: false },
);
export type HourlyQueryInput = Static<typeof HourlyQuery>;

const ReportScope = {
  location_id: Type.Union([Uuid, Type.Null()], { description: 'The location reported on; null: every location' }),
  timezone: Type.String({ description: 'IANA zone the days and hours are counted in' }),
  currency: Type.String({ description: 'ISO 4217 code of the tenant' }),
};

/** Today's sales: completed orders of the local day, voids of the day, and what paid for them. */
export const TodaySalesSchema = Type.Object({
  ...ReportScope,
  date: LocalDate,
  orders: Type.Integer({ description: 'Orders completed today and not voided' }),
  sales_cents: Cents,
  tax_cents: Cents,
  discount_cents: Cents,
  average_ticket_cents: Type.Integer({ description: 'sales_cents / orders, rounded half up; 0 without orders' }),
  items_sold: Type.Integer({ description: 'Units on the lines of those orders' }),
  voided_orders: Type.Integer({ description: 'Orders voided today' }),
  voided_cents: Cents,
  tenders: Type.Array(
    Type.Object({
      method: Type.String({ description: '`cash`, `card` or `external_card`' }),
      amount_cents: Type.Integer({ description: 'What this method paid (change already given back)' }),
      count: Type.Integer(),
    }),
  ),
});
export type TodaySalesDto = Static<typeof TodaySalesSchema>;

/** Sales per local hour, every hour present (zero when nothing sold). */
export const HourlySalesSchema = Type.Object({
  ...ReportScope,
  from: LocalDate,
  to: LocalDate,
  hours: Type.Array(
    Type.Object({
      date: LocalDate,
      hour: Type.Integer({ minimum: 0, maximum: 23 }),
      orders: Type.Integer(),
      sales_cents: Cents,
    }),
  ),
});
export type HourlySalesDto = Static<typeof HourlySalesSchema>;

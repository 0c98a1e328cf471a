import { Type, type Static } from 'typebox';
import { Timestamp } from '../../platform/http/schemas.ts';

export const BusinessQuery = Type.Object(
  { hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 168, default: 24, description: 'Window, in hours' })) },
  { additionalProperties: false },
);

const ByCurrency = Type.Object({
  currency: Type.String(),
  orders: Type.Integer(),
  revenue_cents: Type.Integer(),
  average_order_value_cents: Type.Integer({ description: 'Revenue ÷ orders, rounded half up to the cent' }),
});

export const BusinessReport = Type.Object({
  scope: Type.Union([Type.Literal('tenant'), Type.Literal('platform')]),
  from: Timestamp,
  to: Timestamp,
  window_hours: Type.Integer(),
  orders_completed: Type.Integer(),
  orders_voided: Type.Integer(),
  by_currency: Type.Array(ByCurrency),
  per_hour: Type.Array(
    Type.Object({
      hour: Timestamp,
      currency: Type.String(),
      orders: Type.Integer(),
      revenue_cents: Type.Integer(),
    }),
    { description: 'Every UTC hour of the window that had orders, per currency' },
  ),
  payments: Type.Object({
    attempts: Type.Integer(),
    failures: Type.Integer(),
    failure_rate: Type.Number({ description: 'failures ÷ attempts (0 when there were none)' }),
  }),
});
export type BusinessReportDto = Static<typeof BusinessReport>;

export const PerformanceQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })) },
  { additionalProperties: false },
);

export const PerformanceReport = Type.Object({
  since: Timestamp,
  requests: Type.Integer(),
  error_rate: Type.Number({ description: 'Share of requests answered 5xx since this server started' }),
  client_error_rate: Type.Number({ description: 'Share answered 4xx' }),
  slowest_routes: Type.Array(
    Type.Object({
      method: Type.String(),
      route: Type.String(),
      requests: Type.Integer(),
      errors: Type.Integer(),
      mean_ms: Type.Number(),
      p95_ms_at_most: Type.Union([Type.Number(), Type.Null()], {
        description: 'Upper bound of the histogram bucket holding the 95th percentile (null: above 10 s)',
      }),
    }),
  ),
  slow_queries: Type.Object({
    source: Type.Union([Type.Literal('pg_stat_statements'), Type.Literal('app')]),
    threshold_ms: Type.Integer(),
    queries: Type.Array(
      Type.Object({
        query: Type.String(),
        calls: Type.Integer(),
        mean_ms: Type.Number(),
        max_ms: Type.Number(),
      }),
    ),
  }),
});
export type PerformanceReportDto = Static<typeof PerformanceReport>;

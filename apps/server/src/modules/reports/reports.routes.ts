import { rolesAtLeast } from '@novapos/domain';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { problems } from '../../platform/http/schemas.ts';
import { HourlyQuery, HourlySalesSchema, ReportQuery, TodaySalesSchema } from './reports.schemas.ts';
import * as reports from './reports.service.ts';

const TAGS = ['reports'];
/** Sales figures are the back office's: managers and above (a manager bound to a store sees that store). */
const READERS = rolesAtLeast('manager');

/** /v1/reports: the back office dashboard's sales figures. */
export function reportsRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/v1/reports/sales/today',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        operationId: 'getTodaySales',
        summary: "Today's sales (local day of the location, or of the tenant), voids and tender totals",
        querystring: ReportQuery,
        response: { 200: TodaySalesSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => reports.todaySales(deps.db, request.ctx, request.query),
  );

  app.get(
    '/v1/reports/sales/hourly',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        operationId: 'getHourlySales',
        summary: 'Sales per local hour for the last days (7 by default, today included), every hour present',
        querystring: HourlyQuery,
        response: { 200: HourlySalesSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => reports.salesByHour(deps.db, request.ctx, request.query),
  );
}

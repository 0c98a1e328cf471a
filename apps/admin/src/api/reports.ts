import { api, ok } from './client.ts';
import type { ResultOf } from './types.ts';

export type TodaySales = ResultOf<'/v1/reports/sales/today'>;
export type HourlySales = ResultOf<'/v1/reports/sales/hourly'>;

export function todaySales(locationId?: string): Promise<TodaySales> {
  return ok(api.GET('/v1/reports/sales/today', { params: { query: { location_id: locationId } } }));
}

export function hourlySales(locationId?: string, days = 7): Promise<HourlySales> {
  return ok(api.GET('/v1/reports/sales/hourly', { params: { query: { location_id: locationId, days } } }));
}

import type { RequestContext } from '../../platform/context.ts';
import type { Database, Queryable } from '../../platform/db/database.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { findLocation, findTenant } from '../tenancy/index.ts';
import * as repo from './reports.repo.ts';
import type { HourlyQueryInput, HourlySalesDto, ReportQueryInput, TodaySalesDto } from './reports.schemas.ts';

interface ResolvedScope extends repo.Scope {
  readonly locationId: string | null;
  readonly currency: string;
}

/**
 * Which orders a report reads and in which zone it counts days. One location: that location, in its zone (a
 * location outside the caller's scope is 404, as if it did not exist). No location: every location the caller works
 * at, in the zone of their one location if they have exactly one, else in the tenant's zone.
 */
async function resolveScope(
  tx: Queryable,
  ctx: RequestContext,
  locationId: string | undefined,
): Promise<ResolvedScope> {
  const tenant = await findTenant(tx, ctx);
  if (tenant === undefined) throw new Error('the tenant of this context does not exist');
  const scoped = ctx.locationIds.length > 0;
  if (locationId !== undefined) {
    const location = await findLocation(tx, locationId);
    if (location === undefined || (scoped && !ctx.locationIds.includes(location.id))) {
      throw new AppError('location_not_found', 'No location with this id');
    }
    return { tz: location.timezone, locations: [location.id], locationId: location.id, currency: tenant.currency };
  }
  const only = ctx.locationIds.length === 1 ? await findLocation(tx, ctx.locationIds[0] as string) : undefined;
  return {
    tz: only?.timezone ?? tenant.timezone,
    locations: scoped ? ctx.locationIds : null,
    locationId: null,
    currency: tenant.currency,
  };
}

/** Sums come back from PostgreSQL as bigint text; cents of a shop's day fit a double exactly (< 2^53). */
function cents(value: string | number): number {
  return Number(value);
}

/** Today's sales (the local day of the scope's zone): totals, voids and what each tender method took. */
export function todaySales(db: Database, ctx: RequestContext, q: ReportQueryInput): Promise<TodaySalesDto> {
  return tenantTx(db, ctx, async (tx) => {
    const scope = await resolveScope(tx, ctx, q.location_id);
    const day = await repo.today(tx, scope.tz);
    const totals = await repo.salesTotals(tx, scope, day);
    const tenders = await repo.tenderTotals(tx, scope, day);
    const sales = cents(totals.sales_cents);
    return {
      location_id: scope.locationId,
      timezone: scope.tz,
      currency: scope.currency,
      date: day.date,
      orders: totals.orders,
      sales_cents: sales,
      tax_cents: cents(totals.tax_cents),
      discount_cents: cents(totals.discount_cents),
      // Integer half-up division: no float near a money figure.
      average_ticket_cents: totals.orders === 0 ? 0 : Math.floor((2 * sales + totals.orders) / (2 * totals.orders)),
      items_sold: cents(totals.items_sold),
      voided_orders: totals.voided_orders,
      voided_cents: cents(totals.voided_cents),
      tenders: tenders.map((t) => ({ method: t.method, amount_cents: cents(t.amount_cents), count: t.count })),
    };
  });
}

/** Sales per local hour for the last `days` days (today included), every hour present. */
export function salesByHour(db: Database, ctx: RequestContext, q: HourlyQueryInput): Promise<HourlySalesDto> {
  const days = q.days ?? 7;
  return tenantTx(db, ctx, async (tx) => {
    const scope = await resolveScope(tx, ctx, q.location_id);
    const hours = await repo.salesByHour(tx, scope, days);
    return {
      location_id: scope.locationId,
      timezone: scope.tz,
      currency: scope.currency,
      from: hours[0]?.date ?? '',
      to: hours.at(-1)?.date ?? '',
      hours: hours.map((h) => ({ date: h.date, hour: h.hour, orders: h.orders, sales_cents: cents(h.sales_cents) })),
    };
  });
}

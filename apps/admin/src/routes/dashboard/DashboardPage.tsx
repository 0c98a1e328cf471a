import { useState } from 'react';
import { Link } from 'wouter';
import { listStock } from '../../api/inventory.ts';
import { listLocations } from '../../api/locations.ts';
import { hourlySales, todaySales, type TodaySales } from '../../api/reports.ts';
import { day, money } from '../../app/format.ts';
import { useSession } from '../../app/session-context.tsx';
import { useLoad } from '../../app/use-load.ts';
import { Badge, Empty, ErrorNotice, Loading, Page } from '../../app/ui.tsx';
import { SalesChart } from './SalesChart.tsx';

const TENDER_NAMES: Record<string, string> = { cash: 'Cash', card: 'Card', external_card: 'Card terminal' };

function Kpis(props: { today: TodaySales }) {
  const t = props.today;
  const m = (cents: number) => money(cents, t.currency);
  return (
    <div className="grid kpis" data-testid="today">
      <div className="card kpi">
        <div className="label">Sales today</div>
        <div className="value">{m(t.sales_cents)}</div>
        <div className="sub">
          {t.orders} order{t.orders === 1 ? '' : 's'} · {day(t.date)}
        </div>
      </div>
      <div className="card kpi">
        <div className="label">Average ticket</div>
        <div className="value">{m(t.average_ticket_cents)}</div>
        <div className="sub">{t.items_sold} items sold</div>
      </div>
      <div className="card kpi">
        <div className="label">Tax collected</div>
        <div className="value">{m(t.tax_cents)}</div>
        <div className="sub">Discounts given {m(t.discount_cents)}</div>
      </div>
      <div className="card kpi">
        <div className="label">Voids</div>
        <div className="value">{t.voided_orders}</div>
        <div className="sub">{m(t.voided_cents)} voided today</div>
      </div>
      <div className="card kpi">
        <div className="label">By tender</div>
        {t.tenders.length === 0 ? (
          <div className="sub" style={{ marginTop: 8 }}>
            No payments yet today
          </div>
        ) : (
          t.tenders.map((tender) => (
            <div key={tender.method} className="row" style={{ marginTop: 4 }}>
              <span>{TENDER_NAMES[tender.method] ?? tender.method}</span>
              <span className="spacer" />
              <strong className="num">{m(tender.amount_cents)}</strong>
            </div>
          ))
        )}
      </div>
    </div>
  );
}

function LowStock(props: { locationId: string | undefined }) {
  const low = useLoad(
    () => listStock({ below_threshold: true, limit: 50, location_id: props.locationId }),
    [props.locationId],
  );
  return (
    <div className="card" data-testid="low-stock">
      <div className="card-head">
        <h2>Low stock</h2>
        <Link href="/stock">All stock</Link>
      </div>
      <ErrorNotice error={low.error} />
      {low.data === undefined ? (
        low.error === undefined && <Loading />
      ) : low.data.data.length === 0 ? (
        <Empty>Nothing is at or below its threshold.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Item</th>
              <th className="num">On hand</th>
              <th className="num">Threshold</th>
            </tr>
          </thead>
          <tbody>
            {low.data.data.map((item) => (
              <tr key={`${item.location_id}:${item.variant_id}`}>
                <td>
                  {item.product_name}
                  {item.variant_name !== null && ` – ${item.variant_name}`}
                  <div className="muted mono">{item.sku}</div>
                </td>
                <td className="num">
                  <Badge kind={item.on_hand <= 0 ? 'danger' : 'warn'}>{item.on_hand}</Badge>
                </td>
                <td className="num">{item.low_stock_threshold}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Today's sales, the last 7 days by hour and what is running low, for one location or all of them. */
export function DashboardPage() {
  const { can } = useSession();
  const [locationId, setLocationId] = useState<string | undefined>(undefined);
  const locations = useLoad(() => listLocations(), []);
  const canReport = can('reports.read');
  const today = useLoad(() => (canReport ? todaySales(locationId) : Promise.resolve(undefined)), [locationId]);
  const hourly = useLoad(() => (canReport ? hourlySales(locationId) : Promise.resolve(undefined)), [locationId]);

  return (
    <Page
      title="Dashboard"
      subtitle={today.data ? `Figures in ${today.data.timezone} time` : undefined}
      actions={
        <label className="row">
          <span className="muted">Location</span>
          <select
            value={locationId ?? ''}
            onChange={(e) => setLocationId(e.target.value === '' ? undefined : e.target.value)}
            aria-label="Location"
          >
            <option value="">All locations</option>
            {locations.data?.data.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
      }
    >
      <div className="stack">
        {canReport && (
          <>
            <ErrorNotice error={today.error} />
            {today.data ? <Kpis today={today.data} /> : today.error === undefined && <Loading />}
          </>
        )}
        <>
          {canReport && (
            <div className="card" data-testid="hourly">
              <div className="card-head">
                <h2>Sales by hour, last 7 days</h2>
              </div>
              <ErrorNotice error={hourly.error} />
              {hourly.data ? <SalesChart report={hourly.data} /> : hourly.error === undefined && <Loading />}
            </div>
          )}
          <LowStock locationId={locationId} />
        </>
      </div>
    </Page>
  );
}

import type { HourlySales } from '../../api/reports.ts';
import { day, money } from '../../app/format.ts';

const WIDTH = 960;
const HEIGHT = 240;
const LEFT = 64;
const RIGHT = 8;
const TOP = 12;
const BOTTOM = 40;

/** The smallest 1, 2 or 5 × 10^n at or above `value`, so the axis reads in round amounts. */
function niceCeil(value: number): number {
  if (value <= 0) return 100;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}

/**
 * Sales per hour over the last days as bars, drawn by hand in SVG (a chart library would outweigh the rest of the
 * dashboard). One band per day, labelled with the day and its total; today's bars stand out; each bar's tooltip
 * gives the hour, the sales and the number of orders.
 */
export function SalesChart(props: { report: HourlySales }) {
  const { hours, currency } = props.report;
  const days = [...new Set(hours.map((h) => h.date))];
  const today = days.at(-1);
  const max = niceCeil(Math.max(0, ...hours.map((h) => h.sales_cents)));
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const barW = plotW / Math.max(hours.length, 1);
  const y = (cents: number) => TOP + plotH - (cents / max) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(max * f));
  const totals = new Map(days.map((d) => [d, 0]));
  for (const h of hours) totals.set(h.date, (totals.get(h.date) ?? 0) + h.sales_cents);

  return (
    <div className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="Sales by hour over the last 7 days">
        {ticks.map((t) => (
          <g key={t}>
            <line className="grid-line" x1={LEFT} x2={WIDTH - RIGHT} y1={y(t)} y2={y(t)} />
            <text className="axis" x={LEFT - 6} y={y(t) + 4} textAnchor="end">
              {money(t, currency).replace(/\.00$/, '')}
            </text>
          </g>
        ))}
        {days.map((d, i) => {
          const x = LEFT + i * 24 * barW;
          return (
            <g key={d}>
              {i > 0 && <line className="day-line" x1={x} x2={x} y1={TOP} y2={TOP + plotH + 30} />}
              <text className="axis" x={x + 12 * barW} y={HEIGHT - 22} textAnchor="middle">
                {d === today ? 'Today' : day(d)}
              </text>
              <text className="axis" x={x + 12 * barW} y={HEIGHT - 7} textAnchor="middle">
                {money(totals.get(d) ?? 0, currency)}
              </text>
            </g>
          );
        })}
        {hours.map((h, i) =>
          h.sales_cents > 0 ? (
            <rect
              key={`${h.date}T${h.hour}`}
              className={h.date === today ? 'bar today' : 'bar'}
              x={LEFT + i * barW + 0.5}
              y={y(h.sales_cents)}
              width={Math.max(barW - 1, 1)}
              height={TOP + plotH - y(h.sales_cents)}
              rx={1}
            >
              <title>
                {`${day(h.date)} ${String(h.hour).padStart(2, '0')}:00–${String(h.hour + 1).padStart(2, '0')}:00 · ` +
                  `${money(h.sales_cents, currency)} · ${h.orders} order${h.orders === 1 ? '' : 's'}`}
              </title>
            </rect>
          ) : null,
        )}
        <line className="day-line" x1={LEFT} x2={WIDTH - RIGHT} y1={TOP + plotH} y2={TOP + plotH} />
      </svg>
    </div>
  );
}

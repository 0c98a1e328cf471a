import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { listLocations, listRegisters } from '../../api/locations.ts';
import { listOrders } from '../../api/orders.ts';
import { money, when } from '../../app/format.ts';
import { useLoad } from '../../app/use-load.ts';
import { Badge, Empty, ErrorNotice, Loading, Page, Pager, usePager } from '../../app/ui.tsx';
import { STATUS_KIND, STATUS_NAMES, startOfLocalDay, tenderName } from './order-labels.ts';

/** Orders, newest first, filtered by status, location, register and a range of days. */
export function OrdersPage() {
  const [, navigate] = useLocation();
  const [status, setStatus] = useState('');
  const [locationId, setLocationId] = useState('');
  const [registerId, setRegisterId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filterKey = `${status}|${locationId}|${registerId}|${from}|${to}`;
  const pager = usePager(filterKey);
  const locations = useLoad(() => listLocations(), []);
  const registers = useLoad(() => listRegisters(), []);
  const orders = useLoad(
    () =>
      listOrders({
        status: status === '' ? undefined : (status as 'open' | 'completed' | 'voided' | 'cancelled'),
        location_id: locationId === '' ? undefined : locationId,
        register_id: registerId === '' ? undefined : registerId,
        from: from === '' ? undefined : startOfLocalDay(from),
        to: to === '' ? undefined : startOfLocalDay(to, 1),
        limit: 50,
        cursor: pager.cursor,
      }),
    [filterKey, pager.cursor],
  );
  const registerName = new Map(registers.data?.data.map((r) => [r.id, r.name]));
  const locationName = new Map(locations.data?.data.map((l) => [l.id, l.name]));
  const visibleRegisters = (registers.data?.data ?? []).filter(
    (r) => locationId === '' || r.location_id === locationId,
  );

  return (
    <Page title="Orders" subtitle="Every sale, parked ticket and void, newest first.">
      <div className="card">
        <div className="filters">
          <label className="field">
            <span>Status</span>
            <select value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">Any status</option>
              <option value="completed">Completed</option>
              <option value="open">Open (parked)</option>
              <option value="voided">Voided</option>
              <option value="cancelled">Cancelled at the till</option>
            </select>
          </label>
          <label className="field">
            <span>Location</span>
            <select
              value={locationId}
              onChange={(e) => {
                setLocationId(e.target.value);
                setRegisterId('');
              }}
            >
              <option value="">All locations</option>
              {locations.data?.data.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Register</span>
            <select value={registerId} onChange={(e) => setRegisterId(e.target.value)}>
              <option value="">All registers</option>
              {visibleRegisters.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>From</span>
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className="field">
            <span>To</span>
            <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
          </label>
        </div>
        <ErrorNotice error={orders.error} />
        {orders.data === undefined ? (
          orders.error === undefined && <Loading />
        ) : orders.data.data.length === 0 ? (
          <Empty>No order matches.</Empty>
        ) : (
          <div className="table-wrap">
            <table data-testid="orders">
              <thead>
                <tr>
                  <th>No.</th>
                  <th>When</th>
                  <th>Where</th>
                  <th>Status</th>
                  <th>Paid with</th>
                  <th className="num">Items</th>
                  <th className="num">Total</th>
                </tr>
              </thead>
              <tbody>
                {orders.data.data.map((o) => (
                  <tr key={o.id} className="clickable" onClick={() => navigate(`/orders/${o.id}`)}>
                    <td>
                      <Link href={`/orders/${o.id}`}>{o.number === null ? 'parked' : `#${o.number}`}</Link>
                    </td>
                    <td className="nowrap">{when(o.completed_at ?? o.created_at)}</td>
                    <td>
                      {registerName.get(o.register_id) ?? '…'}
                      <div className="muted">{locationName.get(o.location_id) ?? ''}</div>
                    </td>
                    <td>
                      <Badge kind={STATUS_KIND[o.status]}>{STATUS_NAMES[o.status]}</Badge>
                    </td>
                    <td>{o.tenders.map(tenderName).join(' + ') || '—'}</td>
                    <td className="num">{o.items.reduce((n, line) => n + line.quantity, 0)}</td>
                    <td className="num">{money(o.total_cents, o.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          page={pager.page}
          nextCursor={orders.data?.next_cursor}
          onNext={pager.next}
          onPrevious={pager.previous}
        />
      </div>
    </Page>
  );
}

import { useState, type SyntheticEvent } from 'react';
import { listStock, setThreshold, type StockItem } from '../../api/inventory.ts';
import { listLocations } from '../../api/locations.ts';
import { useSession } from '../../app/session-context.tsx';
import { useDebounced, useLoad } from '../../app/use-load.ts';
import { Badge, Dialog, Empty, ErrorNotice, Field, Loading, Page, Pager, useAction, usePager } from '../../app/ui.tsx';
import { AdjustDialog } from './AdjustDialog.tsx';
import { HistoryDialog } from './HistoryDialog.tsx';

function itemName(item: StockItem): string {
  return item.variant_name === null ? item.product_name : `${item.product_name} – ${item.variant_name}`;
}

/** Sets or clears the low-stock threshold of one item at one location. */
function ThresholdDialog(props: { item: StockItem; onClose: () => void; onDone: () => void }) {
  const { item } = props;
  const [value, setValue] = useState(item.low_stock_threshold === null ? '' : String(item.low_stock_threshold));
  const action = useAction();
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void action
      .run(async () => {
        await setThreshold({
          location_id: item.location_id,
          variant_id: item.variant_id,
          low_stock_threshold: value.trim() === '' ? null : Number(value),
        });
      })
      .then((ok) => ok && props.onDone());
  };
  return (
    <Dialog
      title={`Low-stock threshold: ${itemName(item)}`}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" form="threshold-form" className="btn primary" disabled={action.busy}>
            Save
          </button>
        </>
      }
    >
      <form id="threshold-form" onSubmit={submit} className="stack">
        <ErrorNotice error={action.error} />
        <Field label="Alert when on hand is at or below" hint="Leave empty for no alert">
          <input
            value={value}
            onChange={(e) => setValue(e.target.value)}
            inputMode="numeric"
            pattern="[0-9]*"
            autoFocus
          />
        </Field>
      </form>
    </Dialog>
  );
}

type Open =
  | { kind: 'adjust'; sku?: string; locationId?: string }
  | { kind: 'history'; item?: StockItem }
  | { kind: 'threshold'; item: StockItem };

/** Stock per location: levels with thresholds, adjustments and the ledger behind every figure. */
export function StockPage() {
  const { can } = useSession();
  const [locationId, setLocationId] = useState('');
  const [q, setQ] = useState('');
  const [lowOnly, setLowOnly] = useState(false);
  const [open, setOpen] = useState<Open | undefined>(undefined);
  const search = useDebounced(q.trim());
  const pager = usePager(`${locationId}|${search}|${lowOnly}`);
  const locations = useLoad(() => listLocations(), []);
  const stock = useLoad(
    () =>
      listStock({
        location_id: locationId === '' ? undefined : locationId,
        q: search === '' ? undefined : search,
        below_threshold: lowOnly ? true : undefined,
        limit: 50,
        cursor: pager.cursor,
      }),
    [locationId, search, lowOnly, pager.cursor],
  );
  const locationName = new Map(locations.data?.data.map((l) => [l.id, l.name]));
  const manage = can('stock.write');
  const close = () => setOpen(undefined);
  const done = () => {
    setOpen(undefined);
    stock.reload();
  };

  return (
    <Page
      title="Stock"
      subtitle="On hand per location. Every figure is the sum of its movements; adjustments add movements."
      actions={
        <>
          {can('stock.history') && (
            <button type="button" className="btn" onClick={() => setOpen({ kind: 'history' })}>
              Movements
            </button>
          )}
          {manage && (
            <button type="button" className="btn primary" onClick={() => setOpen({ kind: 'adjust' })}>
              Adjust stock
            </button>
          )}
        </>
      }
    >
      <div className="card">
        <div className="filters">
          <label className="field">
            <span>Location</span>
            <select value={locationId} onChange={(e) => setLocationId(e.target.value)}>
              <option value="">All my locations</option>
              {locations.data?.data.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field" style={{ flex: '1 1 240px' }}>
            <span>Search</span>
            <input type="search" placeholder="SKU or product name" value={q} onChange={(e) => setQ(e.target.value)} />
          </label>
          <label className="check" style={{ paddingBottom: 8 }}>
            <input type="checkbox" checked={lowOnly} onChange={(e) => setLowOnly(e.target.checked)} /> Low stock only
          </label>
        </div>
        <ErrorNotice error={stock.error} />
        {stock.data === undefined ? (
          stock.error === undefined && <Loading />
        ) : stock.data.data.length === 0 ? (
          <Empty>No stock recorded{lowOnly ? ' at or below a threshold' : ''}.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Item</th>
                  <th>SKU</th>
                  <th>Location</th>
                  <th className="num">On hand</th>
                  <th className="num">Threshold</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {stock.data.data.map((item) => (
                  <tr key={`${item.location_id}:${item.variant_id}`}>
                    <td>{itemName(item)}</td>
                    <td className="mono">{item.sku}</td>
                    <td>{locationName.get(item.location_id) ?? '…'}</td>
                    <td className="num">
                      {item.below_threshold ? (
                        <Badge kind={item.on_hand <= 0 ? 'danger' : 'warn'}>{item.on_hand}</Badge>
                      ) : (
                        item.on_hand
                      )}
                    </td>
                    <td className="num">{item.low_stock_threshold ?? '—'}</td>
                    <td className="right">
                      <div className="row" style={{ justifyContent: 'flex-end', flexWrap: 'nowrap' }}>
                        {can('stock.history') && (
                          <button
                            type="button"
                            className="btn small"
                            onClick={() => setOpen({ kind: 'history', item })}
                          >
                            History
                          </button>
                        )}
                        {manage && (
                          <>
                            <button
                              type="button"
                              className="btn small"
                              onClick={() => setOpen({ kind: 'threshold', item })}
                            >
                              Threshold
                            </button>
                            <button
                              type="button"
                              className="btn small"
                              onClick={() => setOpen({ kind: 'adjust', sku: item.sku, locationId: item.location_id })}
                            >
                              Adjust
                            </button>
                          </>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager page={pager.page} nextCursor={stock.data?.next_cursor} onNext={pager.next} onPrevious={pager.previous} />
      </div>
      {open?.kind === 'adjust' && locations.data !== undefined && (
        <AdjustDialog
          locations={locations.data.data}
          locationId={open.locationId ?? (locationId === '' ? undefined : locationId)}
          {...(open.sku === undefined ? {} : { sku: open.sku })}
          onClose={close}
          onDone={done}
        />
      )}
      {open?.kind === 'history' && (
        <HistoryDialog
          title={open.item === undefined ? 'Stock movements' : `History: ${itemName(open.item)}`}
          locationId={open.item?.location_id ?? (locationId === '' ? undefined : locationId)}
          variantId={open.item?.variant_id}
          onClose={close}
        />
      )}
      {open?.kind === 'threshold' && <ThresholdDialog item={open.item} onClose={close} onDone={done} />}
    </Page>
  );
}

import { listMovements } from '../../api/inventory.ts';
import { shortId, when } from '../../app/format.ts';
import { useLoad } from '../../app/use-load.ts';
import { Badge, Dialog, Empty, ErrorNotice, Loading, Pager, usePager } from '../../app/ui.tsx';

const REASON_NAMES: Record<string, string> = {
  sale: 'Sale',
  void: 'Void',
  return: 'Return',
  adjustment: 'Adjustment',
  receipt: 'Received',
  count: 'Count',
  transfer_in: 'Transfer in',
  transfer_out: 'Transfer out',
  damage: 'Damage',
  initial: 'Opening stock',
};

/** The ledger of one item at one location (or of the whole location), newest first. */
export function HistoryDialog(props: {
  title: string;
  locationId: string | undefined;
  variantId: string | undefined;
  onClose: () => void;
}) {
  const pager = usePager(`${props.locationId}|${props.variantId}`);
  const movements = useLoad(
    () =>
      listMovements({ location_id: props.locationId, variant_id: props.variantId, limit: 25, cursor: pager.cursor }),
    [props.locationId, props.variantId, pager.cursor],
  );
  return (
    <Dialog title={props.title} onClose={props.onClose} wide>
      <ErrorNotice error={movements.error} />
      {movements.data === undefined ? (
        movements.error === undefined && <Loading />
      ) : movements.data.data.length === 0 ? (
        <Empty>No movements yet.</Empty>
      ) : (
        <table data-testid="movements">
          <thead>
            <tr>
              <th>When</th>
              <th>SKU</th>
              <th>Reason</th>
              <th className="num">Change</th>
              <th>Reference</th>
              <th>Note</th>
            </tr>
          </thead>
          <tbody>
            {movements.data.data.map((m) => (
              <tr key={m.id}>
                <td className="nowrap">{when(m.created_at)}</td>
                <td className="mono">{m.sku}</td>
                <td>{REASON_NAMES[m.reason] ?? m.reason}</td>
                <td className="num">
                  <Badge kind={m.delta > 0 ? 'ok' : 'danger'}>{m.delta > 0 ? `+${m.delta}` : m.delta}</Badge>
                </td>
                <td className="muted">
                  {m.reference_type === null
                    ? '—'
                    : `${m.reference_type.replace('_', ' ')} ${shortId(m.reference_id ?? '')}`}
                </td>
                <td>{m.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        page={pager.page}
        nextCursor={movements.data?.next_cursor}
        onNext={pager.next}
        onPrevious={pager.previous}
      />
    </Dialog>
  );
}

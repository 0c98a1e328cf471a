import { useState, type SyntheticEvent } from 'react';
import { adjustStock, type AdjustmentReason } from '../../api/inventory.ts';
import type { Location } from '../../api/locations.ts';
import { Dialog, ErrorNotice, Field, fieldError, useAction } from '../../app/ui.tsx';

const REASONS: [AdjustmentReason, string][] = [
  ['receipt', 'Goods received'],
  ['count', 'Stock count (difference)'],
  ['damage', 'Damaged / lost'],
  ['adjustment', 'Other adjustment'],
  ['initial', 'Opening stock'],
];

interface Line {
  sku: string;
  delta: string;
  reason: AdjustmentReason;
  note: string;
}

const emptyLine = (sku = ''): Line => ({ sku, delta: '', reason: 'receipt', note: '' });

/**
 * Adjusts stock at one location: any number of lines, each a SKU, a signed quantity and why. One adjustment is
 * one ledger entry per line and one audit event; it is sent with an idempotency key, so a double click or a retry
 * after a timeout cannot count it twice.
 */
export function AdjustDialog(props: {
  locations: readonly Location[];
  locationId: string | undefined;
  sku?: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const [locationId, setLocationId] = useState(props.locationId ?? props.locations[0]?.id ?? '');
  const [lines, setLines] = useState<Line[]>([emptyLine(props.sku)]);
  const [key] = useState(() => crypto.randomUUID());
  const action = useAction();
  const set = (i: number, patch: Partial<Line>) =>
    setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void action
      .run(async () => {
        await adjustStock(
          {
            location_id: locationId,
            lines: lines.map((l) => ({
              sku: l.sku.trim(),
              delta: Number(l.delta),
              reason: l.reason,
              ...(l.note.trim() === '' ? {} : { note: l.note.trim() }),
            })),
          },
          key,
        );
      })
      .then((ok) => ok && props.onDone());
  };

  return (
    <Dialog
      title="Adjust stock"
      onClose={props.onClose}
      wide
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" form="adjust-form" className="btn primary" disabled={action.busy}>
            Save adjustment
          </button>
        </>
      }
    >
      <form id="adjust-form" onSubmit={submit} className="stack">
        <ErrorNotice error={action.error} />
        <Field label="Location" error={fieldError(action.error, 'location_id')}>
          <select value={locationId} onChange={(e) => setLocationId(e.target.value)} required>
            {props.locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </Field>
        {lines.map((line, i) => (
          <div key={i} className="form-grid" style={{ gridTemplateColumns: '1.2fr 0.7fr 1.2fr 1.5fr auto' }}>
            <Field label="SKU" error={fieldError(action.error, `lines[${i}].sku`)}>
              <input value={line.sku} onChange={(e) => set(i, { sku: e.target.value })} required name="sku" />
            </Field>
            <Field label="Change" hint="+12 or −3" error={fieldError(action.error, `lines[${i}].delta`)}>
              <input
                value={line.delta}
                onChange={(e) => set(i, { delta: e.target.value.replace('−', '-') })}
                required
                pattern="-?[0-9]+"
                inputMode="numeric"
                name="delta"
              />
            </Field>
            <Field label="Reason">
              <select value={line.reason} onChange={(e) => set(i, { reason: e.target.value as AdjustmentReason })}>
                {REASONS.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Note">
              <input value={line.note} onChange={(e) => set(i, { note: e.target.value })} maxLength={500} />
            </Field>
            <div style={{ alignSelf: 'end', paddingBottom: 2 }}>
              <button
                type="button"
                className="btn small"
                aria-label="Remove line"
                disabled={lines.length === 1}
                onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))}
              >
                ✕
              </button>
            </div>
          </div>
        ))}
        <div>
          <button type="button" className="btn small" onClick={() => setLines((ls) => [...ls, emptyLine()])}>
            Add a line
          </button>
        </div>
      </form>
    </Dialog>
  );
}

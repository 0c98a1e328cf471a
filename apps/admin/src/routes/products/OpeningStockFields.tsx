import type { Location } from '../../api/locations.ts';
import { Field } from '../../app/ui.tsx';
import type { OpeningDraft } from './opening-stock.ts';

/**
 * A new variant's opening stock: one quantity field per active location. Left empty, the variant starts with no
 * stock there (and the tills there refuse to sell it while the shop blocks sales beyond stock).
 */
export function OpeningStockFields(props: {
  locations: readonly Location[];
  draft: OpeningDraft;
  onChange: (draft: OpeningDraft) => void;
  error?: string | undefined;
}) {
  if (props.locations.length === 0) return null;
  return (
    <fieldset className="opening-stock">
      <legend>Opening stock</legend>
      <div className="form-grid">
        {props.locations.map((location) => (
          <Field key={location.id} label={`Opening stock at ${location.name}`} hint="Units on hand now">
            <input
              inputMode="numeric"
              value={props.draft[location.id] ?? ''}
              placeholder="0"
              onChange={(e) => props.onChange({ ...props.draft, [location.id]: e.target.value })}
              name={`opening-${location.id}`}
            />
          </Field>
        ))}
      </div>
      {props.error !== undefined && (
        <small className="field-error" role="alert">
          {props.error}
        </small>
      )}
    </fieldset>
  );
}

import { useState, type SyntheticEvent } from 'react';
import {
  archiveLocation,
  archiveRegister,
  createLocation,
  createRegister,
  listLocations,
  listRegisters,
  renameRegister,
  updateLocation,
  type Location,
  type Register,
} from '../../api/locations.ts';
import { shortId } from '../../app/format.ts';
import { linesText, RECEIPT_TEXT_LINE_MAX, RECEIPT_TEXT_MAX_LINES, receiptLinesOf } from '../../app/receipt-lines.ts';
import { useSession } from '../../app/session-context.tsx';
import { useLoad } from '../../app/use-load.ts';
import { Badge, Dialog, Empty, ErrorNotice, Field, fieldError, Loading, Page, useAction } from '../../app/ui.tsx';

/** Creates or edits a location: name, short code, time zone and address (its reports and receipts use them). */
function LocationDialog(props: { location: Location | undefined; onClose: () => void; onDone: () => void }) {
  const { location } = props;
  const [name, setName] = useState(location?.name ?? '');
  const [code, setCode] = useState(location?.code ?? '');
  const [timezone, setTimezone] = useState(location?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [address, setAddress] = useState(linesText(location?.address_lines ?? []));
  const [addressProblem, setAddressProblem] = useState<string | undefined>(undefined);
  const action = useAction();
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    // Checked here as the server checks it, so a long line is named before anything is sent.
    const lines = receiptLinesOf(address);
    setAddressProblem(lines.ok ? undefined : lines.error);
    if (!lines.ok) return;
    void action
      .run(async () => {
        const body = { name: name.trim(), timezone: timezone.trim(), address_lines: lines.lines };
        if (location === undefined) {
          await createLocation({ ...body, ...(code.trim() === '' ? {} : { code: code.trim() }) });
        } else {
          await updateLocation(location.id, { ...body, code: code.trim() === '' ? null : code.trim() });
        }
      })
      .then((ok) => ok && props.onDone());
  };
  return (
    <Dialog
      title={location === undefined ? 'New location' : `Edit ${location.name}`}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" form="location-form" className="btn primary" disabled={action.busy}>
            Save
          </button>
        </>
      }
    >
      <form id="location-form" className="stack" onSubmit={submit}>
        <ErrorNotice error={action.error} />
        <div className="form-grid">
          <Field label="Name" error={fieldError(action.error, 'name')}>
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
          </Field>
          <Field label="Code" hint="Optional, e.g. HRB-1" error={fieldError(action.error, 'code')}>
            <input value={code} onChange={(e) => setCode(e.target.value)} maxLength={32} />
          </Field>
          <Field label="Time zone" hint="IANA name, e.g. Europe/Paris" error={fieldError(action.error, 'timezone')}>
            <input value={timezone} onChange={(e) => setTimezone(e.target.value)} required />
          </Field>
        </div>
        <Field
          label="Address"
          hint={`Printed under the store's name on its receipts: up to ${RECEIPT_TEXT_MAX_LINES} lines of ${RECEIPT_TEXT_LINE_MAX} characters`}
          error={addressProblem ?? fieldError(action.error, 'address_lines')}
        >
          <textarea
            value={address}
            onChange={(e) => {
              setAddress(e.target.value);
              setAddressProblem(undefined);
            }}
            rows={RECEIPT_TEXT_MAX_LINES}
            aria-invalid={addressProblem !== undefined}
          />
        </Field>
      </form>
    </Dialog>
  );
}

function Registers(props: { location: Location; registers: Register[]; onChanged: () => void }) {
  const { can } = useSession();
  const [name, setName] = useState('');
  const action = useAction();
  const manage = can('registers.write') && props.location.archived_at === null;
  const add = (event: SyntheticEvent) => {
    event.preventDefault();
    void action
      .run(async () => createRegister({ location_id: props.location.id, name: name.trim() }).then(() => undefined))
      .then((ok) => {
        if (!ok) return;
        setName('');
        props.onChanged();
      });
  };
  const rename = (r: Register) => {
    const next = prompt('New name of the register', r.name);
    if (next === null || next.trim() === '' || next.trim() === r.name) return;
    void action
      .run(async () => renameRegister(r.id, next.trim()).then(() => undefined))
      .then((ok) => ok && props.onChanged());
  };
  const archive = (r: Register) => {
    if (!confirm(`Archive ${r.name}? No one can sign in at it afterwards.`)) return;
    void action.run(async () => archiveRegister(r.id).then(() => undefined)).then((ok) => ok && props.onChanged());
  };
  return (
    <>
      <ErrorNotice error={action.error} />
      {props.registers.length === 0 ? (
        <p className="muted">No registers.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Register</th>
              <th>Id</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {props.registers.map((r) => (
              <tr key={r.id} className={r.archived_at === null ? '' : 'archived'}>
                <td>
                  {r.name} {r.archived_at !== null && <Badge>Archived</Badge>}
                </td>
                <td className="mono muted" title={r.id}>
                  …{shortId(r.id)}
                </td>
                <td className="right">
                  {manage && r.archived_at === null && (
                    <div className="row" style={{ justifyContent: 'flex-end' }}>
                      <button type="button" className="btn small" onClick={() => rename(r)}>
                        Rename
                      </button>
                      <button type="button" className="btn small danger" onClick={() => archive(r)}>
                        Archive
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manage && (
        <form
          className="row"
          onSubmit={add}
          style={{ marginTop: 10 }}
          aria-label={`New register at ${props.location.name}`}
        >
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="New register name"
            required
            maxLength={200}
          />
          <button type="submit" className="btn small" disabled={action.busy}>
            Add register
          </button>
        </form>
      )}
    </>
  );
}

/** The shop's stores and the tills at each. */
export function LocationsPage() {
  const { can } = useSession();
  const [archived, setArchived] = useState(false);
  const locations = useLoad(() => listLocations(archived), [archived]);
  const registers = useLoad(() => listRegisters(archived), [archived]);
  const [editing, setEditing] = useState<Location | 'new' | undefined>(undefined);
  const action = useAction();
  const reload = () => {
    locations.reload();
    registers.reload();
  };
  const archive = (l: Location) => {
    if (!confirm(`Archive ${l.name}? Its registers are archived with it and its tills stop.`)) return;
    void action.run(async () => archiveLocation(l.id).then(() => undefined)).then((ok) => ok && reload());
  };

  return (
    <Page
      title="Locations & registers"
      subtitle="Stores, their time zone (reports count days in it), their address (printed on receipts) and their tills."
      actions={
        <>
          <label className="check">
            <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} /> Show archived
          </label>
          {can('locations.write') && (
            <button type="button" className="btn primary" onClick={() => setEditing('new')}>
              New location
            </button>
          )}
        </>
      }
    >
      <ErrorNotice error={action.error} />
      <ErrorNotice error={locations.error ?? registers.error} />
      {locations.data === undefined ? (
        locations.error === undefined && <Loading />
      ) : locations.data.data.length === 0 ? (
        <Empty>No locations.</Empty>
      ) : (
        <div className="stack">
          {locations.data.data.map((l) => (
            <div key={l.id} className="card" data-testid={`location-${l.name}`}>
              <div className="card-head">
                <div>
                  <h2>
                    {l.name} {l.code !== null && <span className="muted mono">{l.code}</span>}{' '}
                    {l.archived_at !== null && <Badge>Archived</Badge>}
                  </h2>
                  <div className="muted">{l.timezone}</div>
                  {l.address_lines.length > 0 && (
                    <div className="muted" data-testid="location-address">
                      {l.address_lines.join(', ')}
                    </div>
                  )}
                </div>
                {can('locations.write') && l.archived_at === null && (
                  <div className="row">
                    <button type="button" className="btn small" onClick={() => setEditing(l)}>
                      Edit
                    </button>
                    <button type="button" className="btn small danger" onClick={() => archive(l)}>
                      Archive
                    </button>
                  </div>
                )}
              </div>
              <Registers
                location={l}
                registers={(registers.data?.data ?? []).filter((r) => r.location_id === l.id)}
                onChanged={reload}
              />
            </div>
          ))}
        </div>
      )}
      {editing !== undefined && (
        <LocationDialog
          location={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onDone={() => {
            setEditing(undefined);
            reload();
          }}
        />
      )}
    </Page>
  );
}

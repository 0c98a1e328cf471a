import { hasAnyRole, rolesAtLeast } from '@novapos/domain';
import { useEffect, useState, type SyntheticEvent } from 'react';
import { managerSignIn } from '../../api/auth.ts';
import { ErrorNote } from '../../app/ErrorNote.tsx';
import { ManagerFields, useManagerCredentials } from '../../app/ManagerFields.tsx';
import type { DeviceConfig } from '../../data/db.ts';
import { resetDevice, unsentSales } from '../../data/device-reset.ts';

/**
 * "Reset this till": a manager of this shop signs in with e-mail and password (as at set-up), and the device forgets
 * its register, catalog, parked carts and tokens, and goes back to set-up. Unsent sales are the one thing that
 * cannot be fetched again, so while the queue holds any the reset is refused, unless the manager ticks a second,
 * explicit confirmation naming how many sales will be lost.
 */
export function ResetTill({
  device,
  onCancel,
  onReset,
}: {
  device: DeviceConfig;
  onCancel: () => void;
  onReset: () => void;
}) {
  const [unsent, setUnsent] = useState<number>();
  const manager = useManagerCredentials();
  const { email, password } = manager;
  const [loseThem, setLoseThem] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void unsentSales().then(setUnsent, setError);
  }, []);

  async function authoriseAndReset(event: SyntheticEvent) {
    event.preventDefault();
    if (unsent === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      const grant = await managerSignIn(email, password);
      try {
        if (!hasAnyRole(grant.me.roles, rolesAtLeast('manager'))) {
          throw new Error('Only a manager (or above) can reset a till. Ask a manager to sign in.');
        }
        if (device.tenant_id !== '' && grant.me.tenant_id !== device.tenant_id) {
          throw new Error('That account belongs to another shop. A manager of this shop resets this till.');
        }
      } finally {
        // The manager's token authorises this reset only; it is never kept.
        grant.end();
      }
      await resetDevice(loseThem ? unsent : 0);
      onReset();
    } catch (err) {
      setError(err);
      // The count may have changed (the refusal says by how much): show the current one.
      void unsentSales().then(setUnsent, () => undefined);
      setLoseThem(false);
    } finally {
      setBusy(false);
    }
  }

  const blocked = unsent === undefined || (unsent > 0 && !loseThem);
  return (
    <main className="panel reset">
      <h1>Reset this till</h1>
      <p className="hint">
        {device.location_name} · {device.register_name}. Resetting forgets which register this device is, its catalog,
        parked carts and signed-in cashier, and goes back to set-up.
      </p>
      {unsent === undefined ? (
        <p className="hint">Checking for unsent sales…</p>
      ) : unsent === 0 ? (
        <p className="notice ok" data-testid="reset-unsent">
          All sales on this till have reached the server.
        </p>
      ) : (
        <div className="notice bad" role="alert" data-testid="reset-unsent">
          <p>
            {unsent} {unsent === 1 ? 'sale on this till has' : 'sales on this till have'} not reached the server.
            Resetting now deletes {unsent === 1 ? 'it' : 'them'} for good: {unsent === 1 ? 'it' : 'they'} will be in no
            report and no till total.
          </p>
          <p>Sign a cashier in with the network on and wait for “All sales sent”, then reset.</p>
          <label className="check">
            <input type="checkbox" checked={loseThem} onChange={(e) => setLoseThem(e.target.checked)} />
            Reset anyway and lose {unsent} unsent {unsent === 1 ? 'sale' : 'sales'}
          </label>
        </div>
      )}
      <form onSubmit={(e) => void authoriseAndReset(e)}>
        <ManagerFields {...manager} />
        <ErrorNote error={error} />
        <div className="row">
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button className={unsent !== undefined && unsent > 0 ? 'danger' : 'primary'} disabled={busy || blocked}>
            {busy
              ? 'Resetting…'
              : unsent !== undefined && unsent > 0
                ? `Reset and lose ${unsent} ${unsent === 1 ? 'sale' : 'sales'}`
                : 'Reset this till'}
          </button>
        </div>
      </form>
    </main>
  );
}

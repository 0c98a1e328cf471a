import { hasAnyRole, rolesAtLeast } from '@novapos/domain';
import { useState, type SyntheticEvent } from 'react';
import { managerSignIn } from '../../api/auth.ts';
import { activePlaces, type Place } from '../../api/locations.ts';
import { ErrorNote } from '../../app/ErrorNote.tsx';
import { ManagerFields, useManagerCredentials } from '../../app/ManagerFields.tsx';
import type { DeviceConfig } from '../../data/db.ts';

/**
 * Set-up of a new till, once: a manager signs in with e-mail and password and picks the location and register
 * this device is. The manager's token is used for these calls only and never kept.
 */
export function DeviceSetup({ onDone }: { onDone: (device: DeviceConfig) => void }) {
  const manager = useManagerCredentials();
  const { email, password } = manager;
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [places, setPlaces] = useState<Place[]>();
  const [tenantId, setTenantId] = useState('');

  async function signIn(event: SyntheticEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const grant = await managerSignIn(email, password);
      try {
        if (!hasAnyRole(grant.me.roles, rolesAtLeast('manager'))) {
          throw new Error('A manager (or above) sets up a till. Ask a manager to sign in.');
        }
        const found = await activePlaces(grant);
        setTenantId(grant.me.tenant_id ?? '');
        setPlaces(found);
      } finally {
        // The manager's token served these calls only; it is never kept.
        grant.end();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (places !== undefined) {
    return (
      <main className="panel setup">
        <h1>Which till is this?</h1>
        <p className="hint">Choose the register this device is. Cashiers then sign in here with their PIN.</p>
        {places.map((place) => (
          <section key={place.id} className="place">
            <h2>{place.name}</h2>
            <div className="choices">
              {place.registers.map((r, i) => (
                <button
                  key={r.id}
                  className="choice"
                  autoFocus={place === places[0] && i === 0}
                  onClick={() =>
                    onDone({
                      register_id: r.id,
                      register_name: r.name,
                      location_id: place.id,
                      location_name: place.name,
                      tenant_id: tenantId,
                    })
                  }
                >
                  {r.name}
                </button>
              ))}
            </div>
          </section>
        ))}
      </main>
    );
  }

  return (
    <main className="panel setup">
      <h1>Set up this till</h1>
      <p className="hint">A manager signs in once to choose the location and register.</p>
      <form onSubmit={(e) => void signIn(e)}>
        <ManagerFields {...manager} />
        <ErrorNote error={error} />
        <button className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

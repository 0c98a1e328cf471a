import { useState, type SyntheticEvent } from 'react';
import { api, ok } from '../../api/api.ts';
import { ErrorNote } from '../../app/ErrorNote.tsx';
import type { DeviceConfig } from '../../data/db.ts';
import { ManagerFields, useManagerCredentials } from '../../app/ManagerFields.tsx';

interface Place {
  readonly id: string;
  readonly name: string;
  readonly registers: { id: string; name: string }[];
}

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
      const pair = await ok(api.POST('/v1/auth/login', { body: { email, password } }));
      const headers = { authorization: `Bearer ${pair.access_token}` };
      const me = await ok(api.GET('/v1/me', { headers }));
      if (!me.roles.some((r) => r === 'manager' || r === 'admin' || r === 'owner')) {
        throw new Error('A manager (or above) sets up a till. Ask a manager to sign in.');
      }
      const [locations, registers] = await Promise.all([
        ok(api.GET('/v1/locations', { headers, params: { query: { limit: 100 } } })),
        ok(api.GET('/v1/registers', { headers, params: { query: { limit: 100 } } })),
      ]);
      setTenantId(me.tenant_id ?? '');
      setPlaces(
        locations.data
          .filter((l) => l.archived_at === null)
          .map((l) => ({
            id: l.id,
            name: l.name,
            registers: registers.data.filter((r) => r.location_id === l.id && r.archived_at === null),
          }))
          .filter((p) => p.registers.length > 0),
      );
      void api.POST('/v1/auth/logout', { headers, body: { refresh_token: pair.refresh_token } }).catch(() => undefined);
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

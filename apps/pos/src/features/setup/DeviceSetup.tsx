import { hasAnyRole, rolesAtLeast } from '@novapos/domain';
import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { managerSignIn, type ManagerGrant } from '../../api/auth.ts';
import { registerDevice } from '../../api/devices.ts';
import { activePlaces, type Place } from '../../api/locations.ts';
import { ErrorNote } from '../../app/ErrorNote.tsx';
import { ManagerFields, useManagerCredentials } from '../../app/ManagerFields.tsx';
import { newDeviceKeyPair } from '../../app/offline-signing.ts';
import type { DeviceConfig } from '../../data/db.ts';
import { saveDeviceKey } from '../../data/device-key.ts';

/**
 * Makes this device's signing key and registers its public key with the register, with the manager's token of the
 * set-up (docs/pos.md "Replay"). Where the browser has no Ed25519 the till is set up without a key (it sells, and
 * queues offline sales unsigned, as before device keys); a refusal of the server stops the set-up.
 */
async function issueDeviceKey(grant: ManagerGrant, registerId: string, registerName: string): Promise<void> {
  let pair;
  try {
    pair = await newDeviceKeyPair();
  } catch {
    // This browser has no Ed25519 in WebCrypto: the till is set up without a key (the status bar says so).
    return;
  }
  const label = `${registerName} · set up ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`;
  const device = await registerDevice(grant, registerId, pair.publicKey, label);
  await saveDeviceKey({ device_id: device.device_id, private_key: pair.privateKey, public_key: pair.publicKey });
}

/**
 * Set-up of a new till, once: a manager signs in with e-mail and password and picks the location and register
 * this device is; the device's signing key is registered with that register. The manager's token is used for
 * these calls only and never kept.
 */
export function DeviceSetup({ onDone }: { onDone: (device: DeviceConfig) => void }) {
  const manager = useManagerCredentials();
  const { email, password } = manager;
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [places, setPlaces] = useState<Place[]>();
  const [tenantId, setTenantId] = useState('');
  // The manager's grant lives while the set-up screen does: choosing the register registers the device key with it.
  const grant = useRef<ManagerGrant>(undefined);
  useEffect(() => () => grant.current?.end(), []);

  async function signIn(event: SyntheticEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const signedIn = await managerSignIn(email, password);
      try {
        if (!hasAnyRole(signedIn.me.roles, rolesAtLeast('manager'))) {
          throw new Error('A manager (or above) sets up a till. Ask a manager to sign in.');
        }
        const found = await activePlaces(signedIn);
        setTenantId(signedIn.me.tenant_id ?? '');
        setPlaces(found);
        grant.current = signedIn;
      } catch (err) {
        // The manager's token served these calls only; it is never kept.
        signedIn.end();
        throw err;
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function choose(device: DeviceConfig) {
    const signedIn = grant.current;
    if (signedIn === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      await issueDeviceKey(signedIn, device.register_id, device.register_name);
      grant.current = undefined;
      signedIn.end();
      onDone(device);
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
                  disabled={busy}
                  onClick={() =>
                    void choose({
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
        <ErrorNote error={error} />
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

import { useState, type SyntheticEvent } from 'react';
import { isNetworkError } from '../../api/api.ts';
import { pinSignIn } from '../../api/auth.ts';
import { ErrorNote } from '../../app/ErrorNote.tsx';
import { startOfflineSession, takeOfflineSessionNote } from '../../app/offline-session.ts';
import type { DeviceConfig } from '../../data/db.ts';
import { signInOffline } from './offline-signin.ts';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

/**
 * A cashier signs in at this register with their PIN (typed, or tapped on the pad). When the server cannot be
 * reached, the PIN is checked on the till against the verifiers of the last sync (`offline-signin.ts`) and the
 * cashier works offline until the server answers again (`app/offline-session.ts`). The device's own settings
 * ("Reset this till", for a manager) are reached from here, not from the selling screens.
 */
export function PinSignIn({
  device,
  onSignedIn,
  onResetTill,
}: {
  device: DeviceConfig;
  onSignedIn: () => void;
  onResetTill: () => void;
}) {
  const [pin, setPin] = useState('');
  // An offline session the server would not resume says why here, once.
  const [error, setError] = useState<unknown>(() => {
    const note = takeOfflineSessionNote();
    return note === undefined ? undefined : new Error(note);
  });
  const [busy, setBusy] = useState<'online' | 'offline' | false>(false);

  async function submit(event?: SyntheticEvent) {
    event?.preventDefault();
    if (pin.length < 4) return;
    setBusy('online');
    setError(undefined);
    try {
      await pinSignIn(device.register_id, pin);
      onSignedIn();
    } catch (err) {
      if (isNetworkError(err)) await offline();
      else {
        setError(err);
        setPin('');
      }
    } finally {
      setBusy(false);
    }
  }

  async function offline() {
    setBusy('offline');
    const result = await signInOffline(device.register_id, pin);
    if (result.kind === 'signed_in') {
      await startOfflineSession(device, result.user, result.failedAttempts, pin);
      onSignedIn();
      return;
    }
    setError(new Error(result.message));
    setPin('');
  }

  function press(key: (typeof KEYS)[number]) {
    if (key === 'clear') setPin('');
    else if (key === 'back') setPin((p) => p.slice(0, -1));
    else setPin((p) => (p.length < 8 ? p + key : p));
  }

  return (
    <main className="panel signin">
      <h1>{device.register_name}</h1>
      <p className="hint">{device.location_name} · enter your PIN</p>
      <form onSubmit={(e) => void submit(e)}>
        <input
          className="pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          aria-label="PIN"
          value={pin}
          maxLength={8}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          autoFocus
        />
        <div className="pinpad">
          {KEYS.map((k) => (
            <button type="button" key={k} tabIndex={-1} onClick={() => press(k)}>
              {k === 'clear' ? 'Clear' : k === 'back' ? '⌫' : k}
            </button>
          ))}
        </div>
        <ErrorNote error={error} />
        <button className="primary" disabled={busy !== false || pin.length < 4}>
          {busy === 'online' ? 'Signing in…' : busy === 'offline' ? 'Checking your PIN on this till…' : 'Sign in'}
        </button>
      </form>
      <div className="device-actions">
        <button type="button" className="link" onClick={onResetTill}>
          Reset this till…
        </button>
      </div>
    </main>
  );
}

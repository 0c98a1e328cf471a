import { useEffect, useState } from 'react';
import { onSyncState, syncState } from '../../app/connection.ts';
import { deviceKey } from '../../data/device-key.ts';

/**
 * The till's top bar: where and who, the connection, how many sales wait to be sent, and the sales the server
 * refused (a button: the conflict screen). A till set up before device keys says so: its offline sales are not
 * signed, and a manager should set it up again once its queue is empty.
 */
export function StatusBar(props: {
  register: string;
  cashier: string;
  items: number;
  onSignOut: () => void;
  onOpenConflicts?: () => void;
}) {
  const [sync, setSync] = useState(syncState());
  const [unsigned, setUnsigned] = useState(false);
  useEffect(() => onSyncState(setSync), []);
  useEffect(() => {
    void deviceKey().then((key) => setUnsigned(key === undefined));
  }, []);
  return (
    <header className="statusbar">
      <strong>{props.register}</strong>
      <span>{props.cashier}</span>
      <span className={sync.online ? 'conn online' : 'conn offline'} data-testid="connection">
        {sync.online ? 'Online' : 'Offline'}
      </span>
      <span data-testid="queue" className={sync.queued > 0 ? 'queue waiting' : 'queue'}>
        {sync.queued === 0
          ? 'All sales sent'
          : `${sync.queued} ${sync.queued === 1 ? 'sale' : 'sales'} waiting to send`}
      </span>
      {sync.failed > 0 && (
        <button className="queue failed" data-testid="refused" onClick={props.onOpenConflicts}>
          {sync.failed} refused by the server: resolve
        </button>
      )}
      {unsigned && (
        <span className="queue waiting" data-testid="no-device-key" title="Offline sales are queued unsigned">
          No device key: a manager sets this till up again
        </span>
      )}
      <span className="muted">{props.items.toLocaleString('en-US')} products</span>
      <button className="link" onClick={props.onSignOut}>
        Sign out
      </button>
    </header>
  );
}

import { useEffect, useState } from 'react';
import { onSyncState, syncState } from '../../app/connection.ts';

/** The till's top bar: where and who, the connection, and how many sales wait to be sent. */
export function StatusBar(props: { register: string; cashier: string; items: number; onSignOut: () => void }) {
  const [sync, setSync] = useState(syncState());
  useEffect(() => onSyncState(setSync), []);
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
      {sync.failed > 0 && <span className="queue failed">{sync.failed} refused by the server</span>}
      <span className="muted">{props.items.toLocaleString('en-US')} products</span>
      <button className="link" onClick={props.onSignOut}>
        Sign out
      </button>
    </header>
  );
}

import { useState } from 'react';
import { listEvents, verifyChain, type AuditEvent, type Verification } from '../../api/audit.ts';
import { listUsers } from '../../api/users.ts';
import { shortId, when } from '../../app/format.ts';
import { useSession } from '../../app/session-context.tsx';
import { useDebounced, useLoad } from '../../app/use-load.ts';
import { Badge, Empty, ErrorNotice, Loading, Notice, Page, Pager, useAction, usePager } from '../../app/ui.tsx';
import { startOfLocalDay } from '../orders/order-labels.ts';

/** An action filter the API accepts: `order.voided`, or a prefix such as `order` (sent as `order.*`). */
function actionFilter(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  if (t === '') return undefined;
  if (t.endsWith('.*') || t.includes('.')) return t;
  return `${t}.*`;
}

function chainName(chainKey: string): string {
  if (chainKey.startsWith('register:')) return `till …${shortId(chainKey.slice(9))}`;
  if (chainKey.startsWith('tenant:')) return 'back office';
  return chainKey;
}

function VerifyResult(props: { result: Verification }) {
  const r = props.result;
  return r.ok ? (
    <Notice kind="ok">
      <strong>The audit log is intact.</strong> {r.checked} events in {r.chains} chain{r.chains === 1 ? '' : 's'} were
      recomputed and every link and hash matches.
    </Notice>
  ) : (
    <Notice kind="error">
      <strong>The audit log has been altered.</strong> {r.reason}
      <div className="meta">
        Chain <code>{r.first_bad_chain}</code>
        {r.first_bad_id !== undefined && (
          <>
            {' '}
            · first bad event <code>{r.first_bad_id}</code>
          </>
        )}{' '}
        · {r.checked} events checked before it
      </div>
    </Notice>
  );
}

function EventRow(props: { event: AuditEvent; names: ReadonlyMap<string, string> }) {
  const e = props.event;
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr className="clickable" onClick={() => setOpen(!open)} aria-expanded={open}>
        <td className="nowrap">{when(e.occurred_at)}</td>
        <td className="mono">{e.action}</td>
        <td>
          {e.entity_type}
          {e.entity_id !== null && <span className="muted mono"> …{shortId(e.entity_id)}</span>}
        </td>
        <td>
          {e.actor_type === 'user' ? (
            (props.names.get(e.actor_id ?? '') ?? <span className="mono">…{shortId(e.actor_id ?? '')}</span>)
          ) : (
            <Badge>{e.actor_type}</Badge>
          )}
        </td>
        <td className="muted">
          {chainName(e.chain_key)} #{e.seq}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={5}>
            <pre className="receipt" style={{ whiteSpace: 'pre-wrap' }}>
              {JSON.stringify(
                { data: e.data, actor_id: e.actor_id, entity_id: e.entity_id, request_id: e.request_id, hash: e.hash },
                null,
                2,
              )}
            </pre>
          </td>
        </tr>
      )}
    </>
  );
}

/** Who changed what: the hash-chained audit log, filtered; owners and admins can prove it is intact. */
export function AuditPage() {
  const { can } = useSession();
  const [action, setAction] = useState('');
  const [actorId, setActorId] = useState('');
  const [entityType, setEntityType] = useState('');
  const [entityId, setEntityId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filters = useDebounced({ action: actionFilter(action), actorId, entityType, entityId, from, to });
  // Owners and admins may list the staff: their names replace ids, and "Who" filters by person.
  const staff = useLoad(() => (can('users.manage') ? listUsers({ limit: 200 }) : Promise.resolve(undefined)), []);
  const names = new Map((staff.data?.data ?? []).map((u) => [u.id, u.display_name]));
  const key = JSON.stringify(filters);
  const pager = usePager(key);
  const events = useLoad(
    () =>
      listEvents({
        action: filters.action,
        actor_id: filters.actorId === '' ? undefined : filters.actorId,
        entity_type: filters.entityType.trim() === '' ? undefined : filters.entityType.trim(),
        entity_id: filters.entityId.trim() === '' ? undefined : filters.entityId.trim(),
        from: filters.from === '' ? undefined : startOfLocalDay(filters.from),
        to: filters.to === '' ? undefined : startOfLocalDay(filters.to, 1),
        limit: 50,
        cursor: pager.cursor,
      }),
    [key, pager.cursor],
  );
  const verify = useAction();
  const [verification, setVerification] = useState<Verification | undefined>(undefined);

  return (
    <Page
      title="Audit log"
      subtitle="Every change of money, stock, prices, roles and settings, append-only and hash-chained."
      actions={
        can('audit.verify') && (
          <button
            type="button"
            className="btn primary"
            disabled={verify.busy}
            onClick={() =>
              void verify.run(async () => {
                setVerification(undefined);
                setVerification(await verifyChain());
              })
            }
          >
            {verify.busy ? 'Verifying…' : 'Verify chain'}
          </button>
        )
      }
    >
      <div data-testid="verify-result">
        <ErrorNotice error={verify.error} title="The chain could not be verified." />
        {verification !== undefined && <VerifyResult result={verification} />}
      </div>
      <div className="card">
        <div className="filters">
          <label className="field">
            <span>Action</span>
            <input
              value={action}
              onChange={(e) => setAction(e.target.value)}
              placeholder="order, user.roles_changed…"
              list="audit-actions"
            />
            <datalist id="audit-actions">
              {[
                'auth',
                'order',
                'product',
                'variant',
                'inventory',
                'user',
                'location',
                'register',
                'tax_rate_override',
                'tenant',
              ].map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </label>
          {staff.data !== undefined && (
            <label className="field">
              <span>Who</span>
              <select value={actorId} onChange={(e) => setActorId(e.target.value)}>
                <option value="">Anyone</option>
                {staff.data.data.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.display_name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="field">
            <span>Entity type</span>
            <input value={entityType} onChange={(e) => setEntityType(e.target.value)} placeholder="order, product…" />
          </label>
          <label className="field">
            <span>Entity id</span>
            <input value={entityId} onChange={(e) => setEntityId(e.target.value)} />
          </label>
          <label className="field">
            <span>From</span>
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className="field">
            <span>To</span>
            <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
          </label>
        </div>
        <ErrorNotice error={events.error} />
        {events.data === undefined ? (
          events.error === undefined && <Loading />
        ) : events.data.data.length === 0 ? (
          <Empty>No event matches.</Empty>
        ) : (
          <div className="table-wrap">
            <table data-testid="audit-events">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Action</th>
                  <th>Entity</th>
                  <th>Actor</th>
                  <th>Chain</th>
                </tr>
              </thead>
              <tbody>
                {events.data.data.map((e) => (
                  <EventRow key={e.id} event={e} names={names} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          page={pager.page}
          nextCursor={events.data?.next_cursor}
          onNext={pager.next}
          onPrevious={pager.previous}
        />
      </div>
    </Page>
  );
}

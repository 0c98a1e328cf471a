import { useState } from 'react';
import { listLocations } from '../../api/locations.ts';
import { listUsers, setActive, type User } from '../../api/users.ts';
import { when } from '../../app/format.ts';
import { useSession } from '../../app/session-context.tsx';
import { useDebounced, useLoad } from '../../app/use-load.ts';
import { Badge, Empty, ErrorNotice, Loading, Page, Pager, useAction, usePager } from '../../app/ui.tsx';
import { UserDialog } from './UserDialog.tsx';

/** The shop's staff: roles, where they work, PIN and password, switched on or off. Owners and admins only. */
export function UsersPage() {
  const { me, can } = useSession();
  const [q, setQ] = useState('');
  const [role, setRole] = useState('');
  const [active, setActiveFilter] = useState('true');
  const [editing, setEditing] = useState<User | 'new' | undefined>(undefined);
  const search = useDebounced(q.trim());
  const pager = usePager(`${search}|${role}|${active}`);
  const locations = useLoad(() => listLocations(), []);
  const users = useLoad(
    () =>
      can('users.manage')
        ? listUsers({
            q: search === '' ? undefined : search,
            role: role === '' ? undefined : (role as User['roles'][number]),
            active: active === '' ? undefined : active === 'true',
            limit: 50,
            cursor: pager.cursor,
          })
        : Promise.resolve(undefined),
    [search, role, active, pager.cursor],
  );
  const action = useAction();
  const locationName = new Map(locations.data?.data.map((l) => [l.id, l.name]));

  if (!can('users.manage')) {
    return (
      <Page title="Staff">
        <Empty>Only owners and admins manage staff.</Empty>
      </Page>
    );
  }
  const toggle = (u: User) => {
    if (u.active && !confirm(`Switch off ${u.display_name}? Their sessions end at once.`)) return;
    void action.run(async () => setActive(u.id, !u.active).then(() => undefined)).then((ok) => ok && users.reload());
  };

  return (
    <Page
      title="Staff"
      subtitle="Who may sign in, with which roles, at which locations."
      actions={
        <button type="button" className="btn primary" onClick={() => setEditing('new')}>
          New staff member
        </button>
      }
    >
      <div className="card">
        <div className="filters">
          <label className="field" style={{ flex: '1 1 240px' }}>
            <span>Search</span>
            <input type="search" placeholder="Name or e-mail" value={q} onChange={(e) => setQ(e.target.value)} />
          </label>
          <label className="field">
            <span>Role</span>
            <select value={role} onChange={(e) => setRole(e.target.value)}>
              <option value="">Any role</option>
              <option value="owner">Owner</option>
              <option value="admin">Admin</option>
              <option value="manager">Manager</option>
              <option value="cashier">Cashier</option>
            </select>
          </label>
          <label className="field">
            <span>Status</span>
            <select value={active} onChange={(e) => setActiveFilter(e.target.value)}>
              <option value="true">Active</option>
              <option value="false">Switched off</option>
              <option value="">Everyone</option>
            </select>
          </label>
        </div>
        <ErrorNotice error={action.error} />
        <ErrorNotice error={users.error} />
        {users.data === undefined ? (
          users.error === undefined && <Loading />
        ) : users.data.data.length === 0 ? (
          <Empty>Nobody matches.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Roles</th>
                  <th>Works at</th>
                  <th>Sign-in</th>
                  <th>Last sign-in</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {users.data.data.map((u) => (
                  <tr key={u.id} className={u.active ? '' : 'archived'}>
                    <td>
                      {u.display_name}
                      <div className="muted">{u.email}</div>
                    </td>
                    <td>
                      <div className="row">
                        {u.roles.map((r) => (
                          <Badge key={r} kind={r === 'cashier' ? undefined : 'brand'}>
                            {r}
                          </Badge>
                        ))}
                      </div>
                    </td>
                    <td>
                      {u.location_ids.length === 0
                        ? 'All locations'
                        : u.location_ids.map((id) => locationName.get(id) ?? '…').join(', ')}
                    </td>
                    <td>
                      <div className="row">
                        {u.has_password && <Badge>password</Badge>}
                        {u.has_pin && <Badge>PIN</Badge>}
                        {!u.active && <Badge kind="danger">off</Badge>}
                      </div>
                    </td>
                    <td className="muted">{when(u.last_login_at)}</td>
                    <td className="right">
                      <div className="row" style={{ justifyContent: 'flex-end', flexWrap: 'nowrap' }}>
                        <button type="button" className="btn small" onClick={() => setEditing(u)}>
                          Edit
                        </button>
                        {u.id !== me.id && (
                          <button type="button" className="btn small" onClick={() => toggle(u)}>
                            {u.active ? 'Switch off' : 'Switch on'}
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager page={pager.page} nextCursor={users.data?.next_cursor} onNext={pager.next} onPrevious={pager.previous} />
      </div>
      {editing !== undefined && (
        <UserDialog
          user={editing === 'new' ? undefined : editing}
          locations={locations.data?.data ?? []}
          onClose={() => setEditing(undefined)}
          onDone={() => {
            setEditing(undefined);
            users.reload();
          }}
        />
      )}
    </Page>
  );
}

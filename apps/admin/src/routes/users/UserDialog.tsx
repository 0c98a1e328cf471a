import { mayGrantRole, TENANT_ROLES, type TenantRole } from '@novapos/domain';
import { useState, type SyntheticEvent } from 'react';
import type { Location } from '../../api/locations.ts';
import { createUser, updateUser, type User, type UserChange } from '../../api/users.ts';
import { useSession } from '../../app/session-context.tsx';
import { Dialog, ErrorNotice, Field, fieldError, useAction } from '../../app/ui.tsx';

const ROLE_NOTES: Record<TenantRole, string> = {
  owner: 'everything, owners included',
  admin: 'staff, locations, settings',
  manager: 'catalog, stock, tax, voids, reports',
  cashier: 'sells at the till',
};

/**
 * Creates a person or changes one: name, roles (only those the signed-in user may grant), the locations they work
 * at (none ticked = all), a PIN for the till and a password for the back office. Only changed fields are sent.
 */
export function UserDialog(props: {
  user: User | undefined;
  locations: readonly Location[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { me } = useSession();
  const { user } = props;
  const [email, setEmail] = useState(user?.email ?? '');
  const [name, setName] = useState(user?.display_name ?? '');
  const [roles, setRoles] = useState<string[]>(user?.roles ?? ['cashier']);
  const [locationIds, setLocationIds] = useState<string[]>(user?.location_ids ?? []);
  const [pin, setPin] = useState('');
  const [removePin, setRemovePin] = useState(false);
  const [password, setPassword] = useState('');
  const action = useAction();
  const grantable = (role: TenantRole) => mayGrantRole(me.roles, role);

  const toggle = (list: string[], value: string, on: boolean) =>
    on ? [...new Set([...list, value])] : list.filter((v) => v !== value);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void action
      .run(async () => {
        if (user === undefined) {
          await createUser({
            email: email.trim(),
            display_name: name.trim(),
            roles: roles as TenantRole[],
            location_ids: locationIds,
            ...(pin === '' ? {} : { pin }),
            ...(password === '' ? {} : { password }),
          });
          return;
        }
        const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();
        const change: UserChange = {
          ...(name.trim() !== user.display_name ? { display_name: name.trim() } : {}),
          ...(!same(roles, user.roles) ? { roles: roles as TenantRole[] } : {}),
          ...(!same(locationIds, user.location_ids) ? { location_ids: locationIds } : {}),
          ...(removePin ? { pin: null } : pin !== '' ? { pin } : {}),
          ...(password !== '' ? { password } : {}),
        };
        if (Object.keys(change).length > 0) await updateUser(user.id, change);
      })
      .then((ok) => ok && props.onDone());
  };

  return (
    <Dialog
      title={user === undefined ? 'New staff member' : `Edit ${user.display_name}`}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" form="user-form" className="btn primary" disabled={action.busy}>
            {user === undefined ? 'Create' : 'Save'}
          </button>
        </>
      }
    >
      <form id="user-form" onSubmit={submit} className="stack">
        <ErrorNotice error={action.error} />
        <div className="form-grid">
          <Field label="E-mail" error={fieldError(action.error, 'email')}>
            <input
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
              disabled={user !== undefined}
              name="email"
            />
          </Field>
          <Field label="Name" error={fieldError(action.error, 'display_name')}>
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} name="name" />
          </Field>
        </div>
        <fieldset className="card" style={{ boxShadow: 'none' }}>
          <legend>Roles</legend>
          {TENANT_ROLES.filter(grantable).map((role) => (
            <label key={role} className="check" style={{ display: 'flex', marginBottom: 4 }}>
              <input
                type="checkbox"
                checked={roles.includes(role)}
                onChange={(e) => setRoles((rs) => toggle(rs, role, e.target.checked))}
              />
              <strong>{role}</strong> <span className="muted">— {ROLE_NOTES[role]}</span>
            </label>
          ))}
          {fieldError(action.error, 'roles') !== undefined && (
            <small className="field-error">{fieldError(action.error, 'roles')}</small>
          )}
        </fieldset>
        <fieldset className="card" style={{ boxShadow: 'none' }}>
          <legend>Works at</legend>
          <p className="muted" style={{ marginTop: 0 }}>
            None ticked: every location.
          </p>
          {props.locations.map((l) => (
            <label key={l.id} className="check" style={{ display: 'flex', marginBottom: 4 }}>
              <input
                type="checkbox"
                checked={locationIds.includes(l.id)}
                onChange={(e) => setLocationIds((ls) => toggle(ls, l.id, e.target.checked))}
              />
              {l.name}
            </label>
          ))}
        </fieldset>
        <div className="form-grid">
          <Field
            label={user?.has_pin === true ? 'New PIN' : 'PIN'}
            hint="4–8 digits, for signing in at a till"
            error={fieldError(action.error, 'pin')}
          >
            <input
              value={pin}
              onChange={(e) => setPin(e.target.value)}
              inputMode="numeric"
              pattern="[0-9]{4,8}"
              autoComplete="off"
              disabled={removePin}
              name="pin"
            />
          </Field>
          <Field
            label={user === undefined ? 'Password' : 'New password'}
            hint="At least 10 characters; for the back office"
            error={fieldError(action.error, 'password')}
          >
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              minLength={10}
              autoComplete="new-password"
              name="password"
            />
          </Field>
        </div>
        {user?.has_pin === true && (
          <label className="check">
            <input type="checkbox" checked={removePin} onChange={(e) => setRemovePin(e.target.checked)} /> Remove the
            PIN
          </label>
        )}
        {user !== undefined && password !== '' && (
          <p className="muted" style={{ margin: 0 }}>
            A new password ends every session of this person.
          </p>
        )}
      </form>
    </Dialog>
  );
}

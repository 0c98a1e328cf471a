import { useState, type SyntheticEvent } from 'react';
import { Link } from 'wouter';
import { listLocations, listRegisters } from '../../api/locations.ts';
import { deleteOverride, listOverrides, setOverride, tenantSettings, type TaxOverride } from '../../api/tax.ts';
import { parsePercent, percent, when } from '../../app/format.ts';
import { useSession } from '../../app/session-context.tsx';
import { useLoad } from '../../app/use-load.ts';
import { Badge, Empty, ErrorNotice, Field, fieldError, Loading, Notice, Page, useAction } from '../../app/ui.tsx';

const SCOPE_ORDER = { register: 0, location: 1, tenant: 2 } as const;

/**
 * Tax-rate overrides by scope (the seed's precedence: register > location > tenant > the server default) and the
 * shop's money settings they work with.
 */
export function TaxPage() {
  const { can } = useSession();
  const overrides = useLoad(() => listOverrides(), []);
  const locations = useLoad(() => listLocations(), []);
  const registers = useLoad(() => listRegisters(), []);
  const settings = useLoad(() => tenantSettings(), []);
  const [scope, setScope] = useState('tenant');
  const [rate, setRate] = useState('');
  const [rateError, setRateError] = useState<string | undefined>(undefined);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const action = useAction();

  const locationName = new Map(locations.data?.data.map((l) => [l.id, l.name]));
  const registerOf = new Map(registers.data?.data.map((r) => [r.id, r]));
  const scopeName = (o: TaxOverride): string => {
    if (o.register_id !== null) {
      const register = registerOf.get(o.register_id);
      return register === undefined
        ? 'A register'
        : `${register.name} at ${locationName.get(register.location_id) ?? 'a location'}`;
    }
    if (o.location_id !== null) return locationName.get(o.location_id) ?? 'A location';
    return 'The whole shop';
  };

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const bps = parsePercent(rate);
    if (bps === undefined) {
      setRateError('Enter a rate from 0 to 100, e.g. 8.25');
      return;
    }
    setRateError(undefined);
    const [kind, id] = scope.split(':');
    void action
      .run(async () => {
        await setOverride({
          rate_bps: bps,
          ...(kind === 'location' ? { location_id: id } : kind === 'register' ? { register_id: id } : {}),
        });
      })
      .then((ok) => {
        if (!ok) return;
        setSaved(`Rate set to ${percent(bps)}.`);
        setRate('');
        overrides.reload();
      });
  };
  const remove = (o: TaxOverride) => {
    if (!confirm(`Remove the ${percent(o.rate_bps)} rate of ${scopeName(o)}? Sales there take the next rate up.`))
      return;
    void action
      .run(async () => deleteOverride(o.id))
      .then((ok) => {
        if (!ok) return;
        setSaved('Override removed.');
        overrides.reload();
      });
  };

  const rows = [...(overrides.data?.data ?? [])].sort((a, b) => SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope]);

  return (
    <Page
      title="Tax"
      subtitle="The most specific rate wins: a register's rate, else its location's, else the shop's, else the server default."
    >
      <div className="stack">
        <ErrorNotice error={action.error} />
        {saved !== undefined && <Notice kind="ok">{saved}</Notice>}
        <div className="card">
          <div className="card-head">
            <h2>Rate overrides</h2>
          </div>
          <ErrorNotice error={overrides.error} />
          {overrides.data === undefined ? (
            overrides.error === undefined && <Loading />
          ) : rows.length === 0 ? (
            <Empty>No overrides: every sale pays the server&apos;s default rate.</Empty>
          ) : (
            <table data-testid="tax-overrides">
              <thead>
                <tr>
                  <th>Applies to</th>
                  <th>Scope</th>
                  <th className="num">Rate</th>
                  <th>Changed</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {rows.map((o) => (
                  <tr key={o.id}>
                    <td>{scopeName(o)}</td>
                    <td>
                      <Badge kind="brand">{o.scope}</Badge>
                    </td>
                    <td className="num">{percent(o.rate_bps)}</td>
                    <td className="muted">{when(o.updated_at)}</td>
                    <td className="right">
                      {can('tax.delete') && (
                        <button type="button" className="btn small danger" onClick={() => remove(o)}>
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        {can('tax.write') && (
          <form className="card" onSubmit={submit} aria-label="Set a rate">
            <div className="card-head">
              <h2>Set a rate</h2>
            </div>
            <div className="filters" style={{ marginBottom: 0 }}>
              <Field label="Applies to">
                <select value={scope} onChange={(e) => setScope(e.target.value)}>
                  <option value="tenant">The whole shop</option>
                  <optgroup label="Location">
                    {locations.data?.data.map((l) => (
                      <option key={l.id} value={`location:${l.id}`}>
                        {l.name}
                      </option>
                    ))}
                  </optgroup>
                  <optgroup label="Register">
                    {registers.data?.data.map((r) => (
                      <option key={r.id} value={`register:${r.id}`}>
                        {r.name} at {locationName.get(r.location_id) ?? '…'}
                      </option>
                    ))}
                  </optgroup>
                </select>
              </Field>
              <Field label="Rate (%)" error={rateError ?? fieldError(action.error, 'rate_bps')}>
                <input value={rate} onChange={(e) => setRate(e.target.value)} inputMode="decimal" required />
              </Field>
              <button type="submit" className="btn primary" disabled={action.busy}>
                Set rate
              </button>
            </div>
          </form>
        )}
        <div className="card">
          <div className="card-head">
            <h2>Money settings</h2>
            {can('settings.write') && (
              <Link href="/settings" className="btn small">
                Change in Settings
              </Link>
            )}
          </div>
          <ErrorNotice error={settings.error} />
          {settings.data && (
            <dl className="facts">
              <dt>Currency</dt>
              <dd>{settings.data.currency}</dd>
              <dt>Prices</dt>
              <dd>{settings.data.prices_include_tax ? 'include tax (gross)' : 'exclude tax (net)'}</dd>
              <dt>Rounding</dt>
              <dd>
                {settings.data.effective_money_rounding.replace('_', ' ')}
                {settings.data.money_rounding === null && <span className="muted"> (server default)</span>}
              </dd>
              <dt>Cash rounding</dt>
              <dd>
                {settings.data.cash_rounding_cents === null
                  ? 'none'
                  : `to ${settings.data.cash_rounding_cents} minor units`}
              </dd>
              <dt>Selling beyond stock</dt>
              <dd>{settings.data.stock_policy === 'block' ? 'refused' : 'allowed (stock may go negative)'}</dd>
            </dl>
          )}
        </div>
      </div>
    </Page>
  );
}

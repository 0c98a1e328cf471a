import { useEffect, useState, type SyntheticEvent } from 'react';
import { tenantSettings, updateTenantSettings, type TenantSettings } from '../../api/tax.ts';
import { money, when } from '../../app/format.ts';
import { useSession } from '../../app/session-context.tsx';
import { useLoad } from '../../app/use-load.ts';
import { ErrorNotice, Field, fieldError, Loading, Notice, Page, useAction } from '../../app/ui.tsx';
import {
  checkSettings,
  draftOf,
  GRACE_HOURS_MAX,
  NAME_MAX,
  OFFLINE_CARD_MODE_LABELS,
  ROUNDING_LABELS,
  STOCK_POLICY_LABELS,
  TIMEZONE_MAX,
  type SettingsDraft,
} from './settings-form.ts';
import { RECEIPT_TEXT_LINE_MAX, RECEIPT_TEXT_MAX_LINES } from '../../app/receipt-lines.ts';

/** The zones the browser knows, offered while typing (any IANA name the server accepts may still be typed). */
const TIME_ZONES: readonly string[] =
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

const ROUNDING_MEANING = {
  half_up: 'half up (a half rounds away from zero)',
  bankers: "banker's (a half rounds to the even digit)",
  truncate: 'truncate (the fraction is dropped)',
} as const;

function roundingText(s: TenantSettings): string {
  const mode = ROUNDING_MEANING[s.effective_money_rounding];
  return s.money_rounding === null ? `${mode}, the server's default` : mode;
}

function offlineCardsText(s: TenantSettings): string {
  if (s.offline_card_mode === 'refuse') return 'refused';
  return `on an external terminal, up to ${money(s.offline_card_max_sale_cents, s.currency)} a sale and ${money(
    s.offline_card_max_outage_cents,
    s.currency,
  )} an outage; marked for review`;
}

/** What everyone may read: the settings as sentences. */
function SettingsFacts(props: { settings: TenantSettings }) {
  const s = props.settings;
  return (
    <dl className="facts" data-testid="settings-facts">
      <dt>Business name</dt>
      <dd>{s.name}</dd>
      <dt>Time zone</dt>
      <dd>{s.timezone}</dd>
      <dt>Currency</dt>
      <dd>{s.currency}</dd>
      <dt>Prices</dt>
      <dd>{s.prices_include_tax ? 'include tax (gross)' : 'exclude tax (net)'}</dd>
      <dt>Rounding</dt>
      <dd>{roundingText(s)}</dd>
      <dt>Cash rounding</dt>
      <dd>{s.cash_rounding_cents === null ? 'none' : `to the nearest ${money(s.cash_rounding_cents, s.currency)}`}</dd>
      <dt>Selling beyond stock</dt>
      <dd>{s.stock_policy === 'block' ? 'refused' : 'allowed (stock may go negative)'}</dd>
      <dt>Receipt footer</dt>
      <dd>
        {s.receipt_footer_lines.length === 0
          ? 'the default (“Thank you for your purchase!”)'
          : s.receipt_footer_lines.join(' / ')}
      </dd>
      <dt>Offline sign-in at the tills</dt>
      <dd>
        {s.offline_signin_grace_hours === 0
          ? 'off'
          : `for ${s.offline_signin_grace_hours} h after a PIN was last checked online`}
      </dd>
      <dt>Cards while a till is offline</dt>
      <dd>{offlineCardsText(s)}</dd>
      <dt>Last changed</dt>
      <dd>{when(s.updated_at)}</dd>
    </dl>
  );
}

/** The owner's and admins' form: checked here as the server checks it, then only what changed is sent. */
function SettingsForm(props: { settings: TenantSettings; onSaved: (settings: TenantSettings) => void }) {
  const { settings } = props;
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(settings));
  const [problems, setProblems] = useState<Partial<Record<keyof SettingsDraft, string>>>({});
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const action = useAction();
  useEffect(() => setDraft(draftOf(settings)), [settings]);
  const set = <K extends keyof SettingsDraft>(field: K, value: SettingsDraft[K]) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setSaved(undefined);
  };
  const problem = (field: keyof SettingsDraft, serverField: string = field) =>
    problems[field] ?? fieldError(action.error, serverField);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const checked = checkSettings(draft, settings);
    if (!checked.ok) {
      setProblems(checked.errors);
      setSaved(undefined);
      return;
    }
    setProblems({});
    if (Object.keys(checked.change).length === 0) {
      setSaved('Nothing to save: the settings are as shown.');
      return;
    }
    if (
      checked.change.prices_include_tax !== undefined &&
      !confirm(
        checked.change.prices_include_tax
          ? 'Every price will be read as including tax: the tax is taken out of it, not added. Change this?'
          : 'Every price will be read as excluding tax: the tax is added on top. Change this?',
      )
    )
      return;
    void action
      .run(async () => {
        props.onSaved(await updateTenantSettings(checked.change));
      })
      .then((ok) => ok && setSaved('Settings saved.'));
  };

  return (
    <form className="stack" onSubmit={submit} aria-label="Shop settings" noValidate>
      <ErrorNotice error={action.error} title="The settings were not saved." />
      {saved !== undefined && <Notice kind="ok">{saved}</Notice>}
      <div className="card">
        <div className="card-head">
          <h2>Business</h2>
        </div>
        <div className="form-grid">
          <Field label="Business name" hint="Printed at the top of every receipt" error={problem('name')}>
            <input
              value={draft.name}
              onChange={(e) => set('name', e.target.value)}
              maxLength={NAME_MAX}
              aria-invalid={problems.name !== undefined}
            />
          </Field>
          <Field
            label="Time zone"
            hint="IANA name, e.g. Europe/Paris: the whole shop's reports count days in it"
            error={problem('timezone')}
          >
            <input
              value={draft.timezone}
              onChange={(e) => set('timezone', e.target.value)}
              list="time-zones"
              maxLength={TIMEZONE_MAX}
              aria-invalid={problems.timezone !== undefined}
              autoComplete="off"
            />
          </Field>
          <Field label="Currency" hint="Set when the shop was created: every price is stored in it">
            <input value={settings.currency} readOnly aria-readonly="true" />
          </Field>
        </div>
        <Field
          label="Receipt footer"
          hint={`Printed at the bottom of every receipt: up to ${RECEIPT_TEXT_MAX_LINES} lines of ${RECEIPT_TEXT_LINE_MAX} characters; blank prints “Thank you for your purchase!”`}
          error={problem('receipt_footer', 'receipt_footer_lines')}
        >
          <textarea
            value={draft.receipt_footer}
            onChange={(e) => set('receipt_footer', e.target.value)}
            rows={RECEIPT_TEXT_MAX_LINES}
            placeholder="Thank you for your purchase!"
            aria-invalid={problems.receipt_footer !== undefined}
          />
        </Field>
        <datalist id="time-zones">
          {TIME_ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </div>
      <div className="card">
        <div className="card-head">
          <h2>Money &amp; stock</h2>
        </div>
        <div className="form-grid">
          <Field
            label="Prices"
            hint="Net: tax is added at the till. Gross: tax is inside the price"
            error={problem('prices_include_tax')}
          >
            <select
              value={draft.prices_include_tax ? 'gross' : 'net'}
              onChange={(e) => set('prices_include_tax', e.target.value === 'gross')}
            >
              <option value="net">Exclude tax (net)</option>
              <option value="gross">Include tax (gross)</option>
            </select>
          </Field>
          <Field
            label="Rounding"
            hint="Of tax and discounts: half up and banker's differ only on an exact half"
            error={problem('money_rounding')}
          >
            <select
              value={draft.money_rounding}
              onChange={(e) => set('money_rounding', e.target.value as SettingsDraft['money_rounding'])}
            >
              <option value="">
                Server default
                {settings.money_rounding === null && ` (${ROUNDING_LABELS[settings.effective_money_rounding]})`}
              </option>
              {(Object.keys(ROUNDING_LABELS) as (keyof typeof ROUNDING_LABELS)[]).map((mode) => (
                <option key={mode} value={mode}>
                  {ROUNDING_LABELS[mode]}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label={`Cash rounding (${settings.currency})`}
            hint="The smallest coin cash totals round to, e.g. 0.05; blank: none"
            error={problem('cash_rounding', 'cash_rounding_cents')}
          >
            <input
              value={draft.cash_rounding}
              onChange={(e) => set('cash_rounding', e.target.value)}
              inputMode="decimal"
              placeholder="none"
              aria-invalid={problems.cash_rounding !== undefined}
            />
          </Field>
          <Field
            label="Selling beyond stock"
            hint="When a sale asks for more than is on hand"
            error={problem('stock_policy')}
          >
            <select
              value={draft.stock_policy}
              onChange={(e) => set('stock_policy', e.target.value as SettingsDraft['stock_policy'])}
            >
              {(Object.keys(STOCK_POLICY_LABELS) as (keyof typeof STOCK_POLICY_LABELS)[]).map((policy) => (
                <option key={policy} value={policy}>
                  {STOCK_POLICY_LABELS[policy]}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Cards while a till is offline"
            hint="Taken on an external terminal: each such sale is marked for review"
            error={problem('offline_card_mode')}
          >
            <select
              value={draft.offline_card_mode}
              onChange={(e) => set('offline_card_mode', e.target.value as SettingsDraft['offline_card_mode'])}
            >
              {(Object.keys(OFFLINE_CARD_MODE_LABELS) as (keyof typeof OFFLINE_CARD_MODE_LABELS)[]).map((mode) => (
                <option key={mode} value={mode}>
                  {OFFLINE_CARD_MODE_LABELS[mode]}
                </option>
              ))}
            </select>
          </Field>
          {draft.offline_card_mode === 'external_terminal' && (
            <>
              <Field
                label={`Offline card limit per sale (${settings.currency})`}
                hint="The largest card sale a till takes offline"
                error={problem('offline_card_max_sale', 'offline_card_max_sale_cents')}
              >
                <input
                  value={draft.offline_card_max_sale}
                  onChange={(e) => set('offline_card_max_sale', e.target.value)}
                  inputMode="decimal"
                  aria-invalid={problems.offline_card_max_sale !== undefined}
                />
              </Field>
              <Field
                label={`Offline card limit per outage (${settings.currency})`}
                hint="The most card money a till takes in one outage"
                error={problem('offline_card_max_outage', 'offline_card_max_outage_cents')}
              >
                <input
                  value={draft.offline_card_max_outage}
                  onChange={(e) => set('offline_card_max_outage', e.target.value)}
                  inputMode="decimal"
                  aria-invalid={problems.offline_card_max_outage !== undefined}
                />
              </Field>
            </>
          )}
        </div>
      </div>
      <div className="card">
        <div className="card-head">
          <h2>Tills</h2>
        </div>
        <div className="form-grid">
          <Field
            label="Offline sign-in (hours)"
            hint={`When the server cannot be reached, a till accepts a PIN for this long after it was last checked online; 0: off (at most ${GRACE_HOURS_MAX})`}
            error={problem('offline_signin_grace_hours')}
          >
            <input
              value={draft.offline_signin_grace_hours}
              onChange={(e) => set('offline_signin_grace_hours', e.target.value)}
              inputMode="numeric"
              aria-invalid={problems.offline_signin_grace_hours !== undefined}
            />
          </Field>
        </div>
      </div>
      <div className="row">
        <button type="submit" className="btn primary" disabled={action.busy}>
          {action.busy ? 'Saving…' : 'Save settings'}
        </button>
        <button
          type="button"
          className="btn"
          disabled={action.busy}
          onClick={() => {
            setDraft(draftOf(settings));
            setProblems({});
            setSaved(undefined);
            action.clear();
          }}
        >
          Undo changes
        </button>
        <span className="muted">Last changed {when(settings.updated_at)}</span>
      </div>
    </form>
  );
}

/** The shop's settings: its name and time zone, how its money rounds and is taxed, how its stock is policed. */
export function SettingsPage() {
  const { can } = useSession();
  const [fresh, setFresh] = useState<TenantSettings | undefined>(undefined);
  const loaded = useLoad(() => tenantSettings(), []);
  const settings = fresh ?? loaded.data;
  const edit = can('settings.write');
  return (
    <Page
      title="Settings"
      subtitle={
        edit
          ? 'The business on its receipts and reports, and how its money and stock behave. Every change is audited.'
          : 'The business on its receipts and reports, and how its money and stock behave.'
      }
    >
      <ErrorNotice error={loaded.error} />
      {settings === undefined ? (
        loaded.error === undefined && <Loading />
      ) : edit ? (
        <SettingsForm settings={settings} onSaved={setFresh} />
      ) : (
        <div className="stack">
          <Notice kind="info">Only an owner or an admin can change these settings.</Notice>
          <div className="card">
            <SettingsFacts settings={settings} />
          </div>
        </div>
      )}
    </Page>
  );
}

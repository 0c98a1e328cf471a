import type { RoundingMode } from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import { requireTenant } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';

/** The name and time zone (migration 0001) and the money and stock columns (migration 0002) of a tenant. */
export interface TenantSettingsRow {
  name: string;
  timezone: string;
  currency: string;
  prices_include_tax: boolean;
  money_rounding: RoundingMode | null;
  cash_rounding_cents: number | null;
  stock_policy: 'block' | 'allow_negative';
  /** Migration 0016: the tenant's receipt footer; empty prints the default footer. */
  receipt_footer_lines: string[];
  /** Migration 0019: hours a till accepts a PIN offline after it was last verified online; 0: never. */
  offline_signin_grace_hours: number;
  /** Migration 0022: cards while a till is offline (docs/pos.md "Cards while offline"). */
  offline_card_mode: 'refuse' | 'external_terminal';
  offline_card_max_sale_cents: number;
  offline_card_max_outage_cents: number;
  updated_at: Date;
}

/** The fields a settings change may write; undefined leaves a column as it is. */
export interface TenantSettingsPatch {
  name?: string | undefined;
  timezone?: string | undefined;
  prices_include_tax?: boolean | undefined;
  money_rounding?: RoundingMode | null | undefined;
  cash_rounding_cents?: number | null | undefined;
  stock_policy?: 'block' | 'allow_negative' | undefined;
  receipt_footer_lines?: readonly string[] | undefined;
  offline_signin_grace_hours?: number | undefined;
  offline_card_mode?: 'refuse' | 'external_terminal' | undefined;
  offline_card_max_sale_cents?: number | undefined;
  offline_card_max_outage_cents?: number | undefined;
}

const COLUMNS =
  'name, timezone, currency, prices_include_tax, money_rounding, cash_rounding_cents, stock_policy, ' +
  'receipt_footer_lines, offline_signin_grace_hours, offline_card_mode, offline_card_max_sale_cents, ' +
  'offline_card_max_outage_cents, updated_at';

/** The current tenant's settings; `forUpdate` locks the row so two edits cannot lose one another's change. */
export async function findTenantSettings(
  tx: Queryable,
  ctx: RequestContext,
  forUpdate = false,
): Promise<TenantSettingsRow | undefined> {
  const { rows } = await tx.query<TenantSettingsRow>(
    `SELECT ${COLUMNS} FROM tenants WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [requireTenant(ctx)],
  );
  return rows[0];
}

/** Only the stock policy: one column, for stock adjustments. */
export async function findStockPolicy(tx: Queryable, ctx: RequestContext): Promise<'block' | 'allow_negative'> {
  const { rows } = await tx.query<{ stock_policy: 'block' | 'allow_negative' }>(
    'SELECT stock_policy FROM tenants WHERE id = $1',
    [requireTenant(ctx)],
  );
  return rows[0]?.stock_policy ?? 'block';
}

export async function updateTenantSettings(
  tx: Queryable,
  ctx: RequestContext,
  patch: TenantSettingsPatch,
): Promise<TenantSettingsRow> {
  // Column names come from the patch type, never from the client.
  const entries = (Object.entries(patch) as [string, unknown][]).filter(([, v]) => v !== undefined);
  const sets = entries.map(([column], i) => `${column} = $${i + 2}`);
  const { rows } = await tx.query<TenantSettingsRow>(
    `UPDATE tenants SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
    [requireTenant(ctx), ...entries.map(([, v]) => v)],
  );
  return rows[0] as TenantSettingsRow;
}

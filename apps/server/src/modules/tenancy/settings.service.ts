import type { RoundingMode } from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import type { Database, Queryable } from '../../platform/db/database.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { canonicalTimeZone, cleanName, cleanReceiptLines, sameLines } from './tenancy.shared.ts';
import * as repo from './settings.repo.ts';
import type { TenantSettingsDto, UpdateTenantSettingsInput } from './settings.schemas.ts';

/** What pricing, totals and stock need to know about a tenant, with the rounding mode already resolved. */
export interface TenantMoneySettings {
  readonly currency: string;
  readonly prices_include_tax: boolean;
  /** The tenant's mode, or the server's MONEY_ROUNDING when the tenant has none. */
  readonly money_rounding: RoundingMode;
  /** The smallest coin for cash totals, in minor units; null: cash is not rounded. */
  readonly cash_rounding_cents: number | null;
  readonly stock_policy: 'block' | 'allow_negative';
}

const SETTING_FIELDS = [
  'name',
  'timezone',
  'prices_include_tax',
  'money_rounding',
  'cash_rounding_cents',
  'stock_policy',
  'receipt_footer_lines',
  'offline_signin_grace_hours',
  'offline_card_mode',
  'offline_card_max_sale_cents',
  'offline_card_max_outage_cents',
] as const;

type SettingField = (typeof SETTING_FIELDS)[number];

/** Whether the wanted value of a field differs from the stored one (footer lines compare line by line). */
function differs(field: SettingField, wanted: UpdateTenantSettingsInput, row: repo.TenantSettingsRow): boolean {
  if (field === 'receipt_footer_lines') {
    return (
      wanted.receipt_footer_lines !== undefined && !sameLines(wanted.receipt_footer_lines, row.receipt_footer_lines)
    );
  }
  return wanted[field] !== undefined && wanted[field] !== row[field];
}

function tenantNotFound(): AppError {
  return new AppError('tenant_not_found', 'The tenant of this session no longer exists');
}

function toDto(row: repo.TenantSettingsRow, defaultRounding: RoundingMode): TenantSettingsDto {
  return {
    name: row.name,
    timezone: row.timezone,
    currency: row.currency,
    prices_include_tax: row.prices_include_tax,
    money_rounding: row.money_rounding,
    effective_money_rounding: row.money_rounding ?? defaultRounding,
    cash_rounding_cents: row.cash_rounding_cents,
    stock_policy: row.stock_policy,
    receipt_footer_lines: row.receipt_footer_lines,
    offline_signin_grace_hours: row.offline_signin_grace_hours,
    offline_card_mode: row.offline_card_mode,
    offline_card_max_sale_cents: row.offline_card_max_sale_cents,
    offline_card_max_outage_cents: row.offline_card_max_outage_cents,
    updated_at: row.updated_at.toISOString(),
  };
}

/**
 * The money settings of the context's tenant, read in the caller's transaction (orders and compute use it).
 * `defaultRounding` is the server's MONEY_ROUNDING (config.moneyRounding), used when the tenant sets none.
 */
export async function getTenantMoneySettings(
  tx: Queryable,
  ctx: RequestContext,
  defaultRounding: RoundingMode,
): Promise<TenantMoneySettings> {
  const row = await repo.findTenantSettings(tx, ctx);
  if (row === undefined) throw tenantNotFound();
  return {
    currency: row.currency,
    prices_include_tax: row.prices_include_tax,
    money_rounding: row.money_rounding ?? defaultRounding,
    cash_rounding_cents: row.cash_rounding_cents,
    stock_policy: row.stock_policy,
  };
}

/** The tenant's policy for cards while a till is offline (the till's context; the replay's review mark). */
export interface OfflineCardPolicy {
  readonly mode: 'refuse' | 'external_terminal';
  readonly max_sale_cents: number;
  readonly max_outage_cents: number;
}

export async function getOfflineCardPolicy(tx: Queryable, ctx: RequestContext): Promise<OfflineCardPolicy> {
  const row = await repo.findTenantSettings(tx, ctx);
  if (row === undefined) throw tenantNotFound();
  return {
    mode: row.offline_card_mode,
    max_sale_cents: row.offline_card_max_sale_cents,
    max_outage_cents: row.offline_card_max_outage_cents,
  };
}

/** The tenant's stock policy (`tenants.stock_policy`), for use cases that move stock outside a sale (adjustments). */
export function getStockPolicy(tx: Queryable, ctx: RequestContext): Promise<'block' | 'allow_negative'> {
  return repo.findStockPolicy(tx, ctx);
}

/** The tenant's settings as the back office shows them (the stored rounding mode and the effective one). */
export function getTenantSettings(
  db: Database,
  ctx: RequestContext,
  defaultRounding: RoundingMode,
): Promise<TenantSettingsDto> {
  return tenantTx(db, ctx, async (tx) => {
    const row = await repo.findTenantSettings(tx, ctx);
    if (row === undefined) throw tenantNotFound();
    return toDto(row, defaultRounding);
  });
}

/**
 * Changes the tenant's name, time zone, money and stock settings, its receipt footer and the tills' offline sign-in
 * window (`offline_signin_grace_hours`, 0–168 by the schema). The name is trimmed (blank is a 400), the time zone
 * stored in its canonical IANA spelling (an unknown zone is a 400) and the footer lines trimmed with blank ones
 * dropped (a control character is a 400). Only fields that differ are written; the change is audited
 * `tenant.settings_changed` with those fields before and after, in the same transaction. Sending the current values
 * changes nothing and writes no event.
 */
export function updateTenantSettings(
  db: Database,
  ctx: RequestContext,
  body: UpdateTenantSettingsInput,
  defaultRounding: RoundingMode,
): Promise<TenantSettingsDto> {
  const input: UpdateTenantSettingsInput = {
    ...body,
    ...(body.name === undefined ? {} : { name: cleanName('name', body.name) }),
    ...(body.timezone === undefined ? {} : { timezone: canonicalTimeZone('timezone', body.timezone) }),
    ...(body.receipt_footer_lines === undefined
      ? {}
      : { receipt_footer_lines: cleanReceiptLines('receipt_footer_lines', body.receipt_footer_lines) }),
  };
  return tenantTx(db, ctx, async (tx) => {
    const before = await repo.findTenantSettings(tx, ctx, true);
    if (before === undefined) throw tenantNotFound();
    const fields = SETTING_FIELDS.filter((f) => differs(f, input, before));
    if (fields.length === 0) return toDto(before, defaultRounding);
    const patch: repo.TenantSettingsPatch = Object.fromEntries(fields.map((f) => [f, input[f]]));
    const after = await repo.updateTenantSettings(tx, ctx, patch);
    await recordAudit(tx, ctx, {
      action: 'tenant.settings_changed',
      entityType: 'tenant',
      entityId: ctx.tenantId,
      data: {
        before: Object.fromEntries(fields.map((f) => [f, before[f]])),
        after: Object.fromEntries(fields.map((f) => [f, after[f]])),
      },
    });
    return toDto(after, defaultRounding);
  });
}

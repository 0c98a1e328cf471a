import {
  hasAnyRole,
  isValidTaxRateBps,
  pickTaxRate,
  rolesAtLeast,
  type PickedTaxRate,
  type Role,
} from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { findOverrideRates, type OverrideRates } from './tax.repo.ts';

/** The rate of a sale, where it came from, and — for an explicit override — what it replaced. */
export interface ResolvedTaxRate extends PickedTaxRate {
  /** Present when `source` is `explicit`: the rate the sale would have had without the override (for the audit). */
  readonly overridden?: PickedTaxRate;
}

/** Where a sale is rung up and what its request asked for. */
export interface TaxRateQuery {
  readonly locationId?: string | undefined;
  /** The register (the seeds' `pos_instance_id`); without `locationId`, its location's override applies too. */
  readonly registerId?: string | undefined;
  /** An explicit override already vetted by `explicitTaxRateFrom`. */
  readonly explicitBps?: number | undefined;
  /** The server's DEFAULT_TAX_RATE_BPS (config.defaultTaxRateBps). */
  readonly defaultBps: number;
}

function present(bps: number | null): number | undefined {
  return bps ?? undefined;
}

/**
 * The tax rate of a sale (docs/sources.md, seed 000): explicit override > register > location > tenant override > default.
 * One query fetches the three overrides inside the caller's tenant transaction. Ids are not checked for existence
 * here (the order use case does that); an unknown id simply has no override. Ids must be UUIDs.
 */
export async function resolveTaxRate(
  tx: Queryable,
  ctx: RequestContext,
  input: TaxRateQuery,
): Promise<ResolvedTaxRate> {
  const rates = await findOverrideRates(tx, ctx, {
    locationId: input.locationId ?? null,
    registerId: input.registerId ?? null,
  });
  return pickSaleTaxRate(rates, input);
}

/** The precedence of `resolveTaxRate` over override rates already read (for example from the pricing cache). */
export function pickSaleTaxRate(
  rates: OverrideRates,
  input: Pick<TaxRateQuery, 'explicitBps' | 'defaultBps'>,
): ResolvedTaxRate {
  const stored = {
    registerBps: present(rates.register_bps),
    locationBps: present(rates.location_bps),
    tenantBps: present(rates.tenant_bps),
    defaultBps: input.defaultBps,
  };
  const withoutExplicit = pickTaxRate(stored);
  if (input.explicitBps === undefined) return withoutExplicit;
  return { ...pickTaxRate({ ...stored, explicitBps: input.explicitBps }), overridden: withoutExplicit };
}

/** The request headers that carry an explicit tax rate, in precedence order (after the body's `tax_rate_bps`). */
export const EXPLICIT_TAX_RATE_HEADERS = ['X-Tax-Rate-Bps', 'X-Tenant-Tax-Rate-Bps'] as const;

/** The parts of a request an explicit tax rate can come from. */
export interface ExplicitTaxRateSource {
  /** The body's `tax_rate_bps` (already an integer when the route schema checked it). */
  readonly bodyBps?: number | undefined;
  /** The request headers; names are matched case-insensitively. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The actor's roles, from the token. */
  readonly roles: readonly Role[];
}

const BPS_TEXT = /^\d{1,5}$/;

function headerBps(headers: ExplicitTaxRateSource['headers'], name: string): number | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : headers[key];
  if (value === undefined) return undefined;
  // A repeated header (an array) is ambiguous: refuse it rather than guess which copy was meant.
  const bps = typeof value === 'string' && BPS_TEXT.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!isValidTaxRateBps(bps)) throw invalidField(name, 'must be one integer from 0 to 10000 (basis points)');
  return bps;
}

/**
 * The explicit tax rate a request asks for: body `tax_rate_bps`, else header `X-Tax-Rate-Bps`, else
 * `X-Tenant-Tax-Rate-Bps` (docs/sources.md, seed 000); undefined when none is sent. Every value sent must be an integer from 0 to
 * 10000 (400 `validation_failed` naming the field or header). Only a manager or above may override the rate
 * (403 `forbidden`): a cashier cannot make a sale tax-free by adding a header.
 */
export function explicitTaxRateFrom(input: ExplicitTaxRateSource): number | undefined {
  if (input.bodyBps !== undefined && !isValidTaxRateBps(input.bodyBps)) {
    throw invalidField('tax_rate_bps', 'must be an integer from 0 to 10000 (basis points)');
  }
  const candidates = [input.bodyBps, ...EXPLICIT_TAX_RATE_HEADERS.map((name) => headerBps(input.headers, name))];
  const explicit = candidates.find((bps) => bps !== undefined);
  if (explicit !== undefined && !hasAnyRole(input.roles, rolesAtLeast('manager'))) {
    throw new AppError('forbidden', 'Only a manager or above may override the tax rate of a sale');
  }
  return explicit;
}

/**
 * Records, in the order's transaction, that an order was saved with an explicit tax rate (C2 in docs/sources.md: audited):
 * `order.tax_rate_overridden` with the rate used and the one it replaced. Does nothing for any other source, so
 * the order use case may call it unconditionally.
 */
export async function auditExplicitTaxRate(
  tx: Tx,
  ctx: RequestContext,
  entry: { orderId: string; resolved: ResolvedTaxRate },
): Promise<void> {
  const { resolved } = entry;
  if (resolved.source !== 'explicit') return;
  await recordAudit(tx, ctx, {
    action: 'order.tax_rate_overridden',
    entityType: 'order',
    entityId: entry.orderId,
    data: {
      rate_bps: resolved.rate_bps,
      overridden_rate_bps: resolved.overridden?.rate_bps ?? null,
      overridden_source: resolved.overridden?.source ?? null,
    },
  });
}

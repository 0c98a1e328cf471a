import { priceSale, pricedSaleLines, type Sale, type Totals } from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { resolveSaleItems, type SaleItem, type SaleItemRef } from '../catalog/index.ts';
import { findOverrideRates, pickSaleTaxRate, type OverrideRates, type ResolvedTaxRate } from '../tax/index.ts';
import { getTenantMoneySettings, type TenantMoneySettings } from '../tenancy/index.ts';
import { ratesKey, type PricingCache } from './pricing-cache.ts';

export interface PricingInput {
  /** What is sold: each with its quantity and, for a line discount, its own `discount_percent_bp`. */
  readonly items: readonly (SaleItemRef & { readonly quantity: number; readonly discount_percent_bp?: number })[];
  /** The order discount, taken after the lines' own. */
  readonly discountBp: number;
  readonly explicitTaxBps?: number | undefined;
  readonly locationId?: string | undefined;
  readonly registerId?: string | undefined;
  readonly defaultTaxBps: number;
  readonly defaultRounding: TenantMoneySettings['money_rounding'];
  /** Orders refuse archived items (422 product_archived); compute only prices what it is given. */
  readonly refuseArchived: boolean;
  readonly trace?: boolean;
  /**
   * Each item's unit price instead of the catalog's: a replayed sale whose till prices a manager kept (the price
   * lock is the sale's evidence; docs/pos.md "Replay"). Never from compute.
   */
  readonly unitPrices?: readonly number[] | undefined;
}

/** A priced cart: what is sold, at which tax rate, under which money settings, and the totals. */
export interface PricedCart {
  readonly items: readonly SaleItem[];
  /** The sale as priced: each item's quantity, price, tax code and own discount, and the order discount. */
  readonly sale: Sale;
  readonly taxRate: ResolvedTaxRate;
  readonly settings: TenantMoneySettings;
  readonly totals: Totals;
}

/** What a cart is priced from: the catalog's items, the tenant's money settings and the tax-override rates. */
export interface PricingFacts {
  readonly items: readonly SaleItem[];
  readonly settings: TenantMoneySettings;
  readonly rates: OverrideRates;
}

function tenantOf(ctx: RequestContext): string {
  if (ctx.tenantId === undefined) throw new Error('pricing needs a tenant');
  return ctx.tenantId;
}

/** The facts from the cache alone; undefined when any of them is not there (or the cache is not trusted now). */
function cachedFacts(cache: PricingCache, ctx: RequestContext, input: PricingInput): PricingFacts | undefined {
  const tenantId = tenantOf(ctx);
  const items = cache.items(tenantId, input.items);
  const settings = cache.settings(tenantId, input.defaultRounding);
  const rates = cache.rates(tenantId, ratesKey(input.locationId, input.registerId));
  return items === undefined || settings === undefined || rates === undefined ? undefined : { items, settings, rates };
}

/** The facts from the cache where it has them, the rest from the database (then remembered). */
async function loadFacts(
  tx: Queryable,
  ctx: RequestContext,
  input: PricingInput,
  cache: PricingCache | undefined,
): Promise<PricingFacts> {
  const tenantId = tenantOf(ctx);
  const stamp = cache?.stamp(tenantId);
  const key = ratesKey(input.locationId, input.registerId);
  let items = cache?.items(tenantId, input.items);
  if (items === undefined) {
    items = await resolveSaleItems(tx, input.items);
    if (stamp !== undefined) cache?.storeItems(tenantId, stamp, input.items, items);
  }
  let settings = cache?.settings(tenantId, input.defaultRounding);
  if (settings === undefined) {
    settings = await getTenantMoneySettings(tx, ctx, input.defaultRounding);
    if (stamp !== undefined) cache?.storeSettings(tenantId, stamp, input.defaultRounding, settings);
  }
  let rates = cache?.rates(tenantId, key);
  if (rates === undefined) {
    rates = await findOverrideRates(tx, ctx, {
      locationId: input.locationId ?? null,
      registerId: input.registerId ?? null,
    });
    if (stamp !== undefined) cache?.storeRates(tenantId, stamp, key, rates);
  }
  return { items, settings, rates };
}

/**
 * Prices facts already gathered: the archived check, the tax rate, and the domain's `priceSale` (the one
 * sale → totals mapping the till and the demo use too). Pure.
 */
export function priceFacts(facts: PricingFacts, input: PricingInput): PricedCart {
  const { items, settings } = facts;
  if (input.refuseArchived) {
    const archived: FieldError[] = [];
    items.forEach((item, i) => {
      if (item.archived) archived.push({ field: `items[${i}]`, message: `${item.sku} is archived and cannot be sold` });
    });
    if (archived.length > 0) {
      throw new AppError('product_archived', 'An archived product cannot be sold', { errors: archived });
    }
  }
  const taxRate = pickSaleTaxRate(facts.rates, { explicitBps: input.explicitTaxBps, defaultBps: input.defaultTaxBps });
  const sale: Sale = {
    lines: items.map((item, i) => ({
      quantity: input.items[i]?.quantity ?? 0,
      unit_price_cents: input.unitPrices?.[i] ?? item.unit_price_cents,
      tax_code: item.tax_code,
      discount_bp: input.items[i]?.discount_percent_bp ?? 0,
    })),
    discount_bp: input.discountBp,
  };
  const totals = priceSale(sale, { sales_tax_bps: taxRate.rate_bps }, settings, { trace: input.trace === true });
  return { items, sale, taxRate, settings, totals };
}

/**
 * Prices a cart exactly as the till does (the same `computeTotals` from `@novapos/domain`), from the catalog's
 * current prices, the tax rate of the register/location and the tenant's money settings — read through `cache`
 * when given (kept true by the database's change notifications; pricing-cache.ts). Reads only.
 */
export async function priceCart(
  tx: Queryable,
  ctx: RequestContext,
  input: PricingInput,
  cache?: PricingCache,
): Promise<PricedCart> {
  return priceFacts(await loadFacts(tx, ctx, input, cache), input);
}

/** The cart priced from the cache alone, without touching the database; undefined when something is missing. */
export function priceCartFromCache(
  cache: PricingCache,
  ctx: RequestContext,
  input: PricingInput,
): PricedCart | undefined {
  const facts = cachedFacts(cache, ctx, input);
  return facts === undefined ? undefined : priceFacts(facts, input);
}

/** The priced lines as compute answers them and as order lines snapshot them (`pricedSaleLines` of the domain). */
export function pricedLines(cart: PricedCart) {
  const amounts = pricedSaleLines(cart.sale, cart.totals, { sales_tax_bps: cart.taxRate.rate_bps });
  return amounts.map((amount, i) => {
    const item = cart.items[i] as SaleItem;
    return {
      variant_id: item.variant_id,
      product_id: item.product_id,
      sku: item.sku,
      name: item.name,
      ...amount,
      tax_code: item.tax_code,
    };
  });
}

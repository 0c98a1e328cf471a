import { computeTotals, isTaxable, type Totals } from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { resolveSaleItems, type SaleItem, type SaleItemRef } from '../catalog/index.ts';
import {
  getTenantMoneySettings,
  resolveTaxRate,
  type ResolvedTaxRate,
  type TenantMoneySettings,
} from '../tax/index.ts';

/** The one tax code the server applies to taxable lines; its rate comes from the precedence of seed 000. */
const SALES_TAX = 'tax';

export interface PricingInput {
  readonly items: readonly (SaleItemRef & { readonly quantity: number })[];
  readonly discountBp: number;
  readonly explicitTaxBps?: number | undefined;
  readonly locationId?: string | undefined;
  readonly registerId?: string | undefined;
  readonly defaultTaxBps: number;
  readonly defaultRounding: TenantMoneySettings['money_rounding'];
  /** Orders refuse archived items (422 product_archived); compute only prices what it is given. */
  readonly refuseArchived: boolean;
  readonly trace?: boolean;
}

/** A priced cart: what is sold, at which tax rate, under which money settings, and the totals. */
export interface PricedCart {
  readonly items: readonly SaleItem[];
  readonly quantities: readonly number[];
  readonly taxRate: ResolvedTaxRate;
  readonly settings: TenantMoneySettings;
  readonly totals: Totals;
}

/**
 * Prices a cart exactly as the till does (the same `computeTotals` from `@novapos/domain`), from the catalog's
 * current prices, the tax rate of the register/location and the tenant's money settings. Reads only.
 */
export async function priceCart(tx: Queryable, ctx: RequestContext, input: PricingInput): Promise<PricedCart> {
  const items = await resolveSaleItems(tx, input.items);
  if (input.refuseArchived) {
    const archived: FieldError[] = [];
    items.forEach((item, i) => {
      if (item.archived) archived.push({ field: `items[${i}]`, message: `${item.sku} is archived and cannot be sold` });
    });
    if (archived.length > 0) {
      throw new AppError('product_archived', 'An archived product cannot be sold', { errors: archived });
    }
  }
  const [settings, taxRate] = await Promise.all([
    getTenantMoneySettings(tx, ctx, input.defaultRounding),
    resolveTaxRate(tx, ctx, {
      locationId: input.locationId,
      registerId: input.registerId,
      explicitBps: input.explicitTaxBps,
      defaultBps: input.defaultTaxBps,
    }),
  ]);
  const quantities = input.items.map((i) => i.quantity);
  const totals = computeTotals(
    {
      lines: items.map((item, i) => ({
        quantity: quantities[i] ?? 0,
        unit_price_cents: item.unit_price_cents,
        taxes:
          isTaxable(item.tax_code) && taxRate.rate_bps > 0 ? [{ code: SALES_TAX, rate_bps: taxRate.rate_bps }] : [],
      })),
      discount_bp: input.discountBp,
      prices_include_tax: settings.prices_include_tax,
      rounding: settings.money_rounding,
      ...(settings.cash_rounding_cents === null ? {} : { cash_rounding_cents: settings.cash_rounding_cents }),
    },
    { trace: input.trace === true },
  );
  return { items, quantities, taxRate, settings, totals };
}

/** The priced lines as compute answers them and as order lines snapshot them. */
export function pricedLines(cart: PricedCart) {
  return cart.items.map((item, i) => {
    const line = cart.totals.lines[i];
    return {
      variant_id: item.variant_id,
      product_id: item.product_id,
      sku: item.sku,
      name: item.name,
      quantity: cart.quantities[i] ?? 0,
      unit_price_cents: item.unit_price_cents,
      line_subtotal_cents: line?.subtotal_cents ?? 0,
      line_discount_cents: line?.discount_cents ?? 0,
      line_tax_cents: line?.tax_cents ?? 0,
      line_total_cents: line?.total_cents ?? 0,
      tax_code: item.tax_code,
      tax_rate_bps: isTaxable(item.tax_code) ? cart.taxRate.rate_bps : 0,
    };
  });
}

import { priceSale, type TaxCode, type TenderInput } from '@novapos/domain';
import type { RequestContext } from '../platform/context.ts';
import { tenantTx } from '../platform/db/tx.ts';
import { AppError } from '../platform/errors.ts';
import { computeOrder, createOrder, voidOrder, type OrdersDeps } from '../modules/orders/index.ts';
import { resolveTaxRate } from '../modules/tax/index.ts';
import { getTenantMoneySettings, type TenantMoneySettings } from '../modules/tenancy/index.ts';
import { createRng, type DemoProduct, type Rng } from './demo-catalog.ts';
import { cashHandedOver, type Payment, type PlannedOrder } from './demo-plan.ts';

/** A sale as written: its id and when the plan says it happened. */
export interface RungUpOrder {
  readonly id: string;
  readonly daysAgo: number;
  readonly secondsOfDay: number;
  readonly voided: boolean;
  /** The server refused the local quote and the sale was priced again (0 unless pricing rules changed). */
  readonly repriced: boolean;
}

/** What a till knows to price a cart by itself: the prices, its register's tax rate, the tenant's money settings. */
export interface PriceBook {
  readonly variants: ReadonlyMap<string, { readonly priceCents: number; readonly taxCode: TaxCode }>;
  readonly taxBps: number;
  readonly settings: TenantMoneySettings;
}

/** The price book of one register, read once: the catalog as generated, the rate and settings from the server. */
export async function priceBookOf(
  deps: OrdersDeps,
  ctx: RequestContext,
  catalog: readonly DemoProduct[],
  register: { id: string; locationId: string },
): Promise<PriceBook> {
  const { settings, rate } = await tenantTx(deps.db, ctx, async (tx) => ({
    settings: await getTenantMoneySettings(tx, ctx, deps.config.moneyRounding),
    rate: await resolveTaxRate(tx, ctx, {
      locationId: register.locationId,
      registerId: register.id,
      defaultBps: deps.config.defaultTaxRateBps,
    }),
  }));
  const variants = new Map(
    catalog.flatMap((p) => p.variants.map((v) => [v.sku, { priceCents: v.priceCents, taxCode: v.taxCode }])),
  );
  return { variants, taxBps: rate.rate_bps, settings };
}

/**
 * The total of a cart as the till computes it offline: the domain's `priceSale`, the one pricing path of the server
 * and the till. Only a guess for choosing tenders — the order itself is priced by the server, and a guess it
 * refuses is asked again.
 */
export function quoteLocally(
  book: PriceBook,
  items: readonly { sku: string; quantity: number }[],
  discountBp: number,
): { total: number; cashDue: number } {
  const lines = items.map((item) => {
    const v = book.variants.get(item.sku);
    if (v === undefined) throw new Error(`the demo price book has no SKU ${item.sku}`);
    return { quantity: item.quantity, unit_price_cents: v.priceCents, tax_code: v.taxCode };
  });
  const totals = priceSale({ lines, discount_bp: discountBp }, { sales_tax_bps: book.taxBps }, book.settings);
  return { total: totals.total_cents, cashDue: totals.cash_due_cents ?? totals.total_cents };
}

function cardReference(rng: Rng): string {
  return `AUTH ${String(rng.int(0, 999_999)).padStart(6, '0')}`;
}

/** The demo pays with cash and stand-alone terminals only: no processor calls. */
type TerminalTender = TenderInput & { readonly method: 'cash' | 'external_card' };

/** The tenders of a sale of `total` cents (`cashDue`: the total as cash pays it, after cash rounding). */
export function tendersFor(payment: Payment, total: number, cashDue: number, rng: Rng): TerminalTender[] {
  if (payment === 'card') return [{ method: 'external_card', amount_cents: total, reference: cardReference(rng) }];
  if (payment === 'split' && total >= 200) {
    const card = Math.round((total * rng.int(30, 70)) / 100);
    // Cash pays the rest: a note that covers it whatever the tenant's cash rounding does to it.
    const cash = Math.ceil((total - card) / 500) * 500;
    return [
      { method: 'external_card', amount_cents: card, reference: cardReference(rng) },
      { method: 'cash', amount_cents: cash },
    ];
  }
  return [{ method: 'cash', amount_cents: cashHandedOver(cashDue, rng) }];
}

/** Refusals that mean the local quote and the server disagree on the total. */
function quoteRefused(err: unknown): boolean {
  return err instanceof AppError && (err.code === 'insufficient_tender' || err.code === 'invalid_tender');
}

/**
 * Rings up one register's planned sales in order through the same use case as `POST /v1/orders/sku` (which
 * prices, numbers, takes the stock and audits each sale), and voids the planned voids as the manager. Tenders
 * are chosen from a local quote (one transaction per sale instead of two); should the server's total differ,
 * the sale is priced by the server (`computeOrder`) and rung up again. Deterministic per register whatever the
 * other registers do.
 */
export async function ringUp(
  deps: OrdersDeps,
  people: { seller: RequestContext; voider: RequestContext },
  book: PriceBook,
  registerId: string,
  plans: readonly PlannedOrder[],
  seed: number,
): Promise<RungUpOrder[]> {
  const rng = createRng(seed);
  const done: RungUpOrder[] = [];
  for (const plan of plans) {
    const cart = {
      register_id: registerId,
      items: plan.items.map((i) => ({ sku: i.sku, quantity: i.quantity })),
      ...(plan.discountBp > 0 ? { discount_percent_bp: plan.discountBp } : {}),
    };
    const sell = async (quote: { total: number; cashDue: number }) => {
      const tenders = tendersFor(plan.payment, quote.total, quote.cashDue, rng);
      const input = { ...cart, tenders, ...(plan.note === undefined ? {} : { note: plan.note }) };
      return (await createOrder(deps, people.seller, input, undefined)).order;
    };
    let repriced = false;
    const order = await sell(quoteLocally(book, plan.items, plan.discountBp)).catch(async (err: unknown) => {
      if (!quoteRefused(err)) throw err;
      repriced = true;
      const priced = await computeOrder(deps, people.seller, cart);
      return sell({ total: priced.total_cents, cashDue: priced.cash_due_cents ?? priced.total_cents });
    });
    if (plan.voidReason !== undefined) await voidOrder(deps, people.voider, order.id, plan.voidReason);
    const { daysAgo, secondsOfDay } = plan;
    done.push({ id: order.id, daysAgo, secondsOfDay, voided: plan.voidReason !== undefined, repriced });
  }
  return done;
}

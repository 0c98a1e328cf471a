/**
 * Which tax rate applies to a sale, and which lines it applies to (docs/tax.md; docs/sources.md, seed 000).
 *
 * Rates are basis points: 800 bps = 8 %. The most specific source that is present wins:
 * an explicit override on the request > the register's override > the location's > the tenant's > the server's
 * `DEFAULT_TAX_RATE_BPS`. Nothing here reads a database or a request; the server gathers the candidates.
 */

/** The highest tax rate NovaPOS accepts anywhere: 10000 bps = 100 %. */
export const MAX_TAX_RATE_BPS = 10_000;

/** Where the rate of a sale came from, most specific first. */
export const TAX_RATE_SOURCES = ['explicit', 'register', 'location', 'tenant', 'default'] as const;

/** Where the rate of a sale came from. */
export type TaxRateSource = (typeof TAX_RATE_SOURCES)[number];

/** The candidate rates of one sale; an absent (undefined) candidate is skipped. */
export interface TaxRateCandidates {
  /** An override named by the request itself (body `tax_rate_bps` or a tax-rate header). */
  readonly explicitBps?: number | undefined;
  /** The override of the register (the seeds' POS instance) the sale is rung up at. */
  readonly registerBps?: number | undefined;
  /** The override of the sale's location. */
  readonly locationBps?: number | undefined;
  /** The tenant-wide override. */
  readonly tenantBps?: number | undefined;
  /** The server's `DEFAULT_TAX_RATE_BPS`, used when no override is present. */
  readonly defaultBps: number;
}

/** The rate chosen for a sale and the source it came from. */
export interface PickedTaxRate {
  readonly rate_bps: number;
  readonly source: TaxRateSource;
}

/** True when `bps` is a rate NovaPOS accepts: an integer from 0 to 10000. */
export function isValidTaxRateBps(bps: number): boolean {
  return Number.isInteger(bps) && bps >= 0 && bps <= MAX_TAX_RATE_BPS;
}

/**
 * Picks the tax rate of a sale: the most specific present candidate wins
 * (explicit > register > location > tenant > default). A rate of 0 is present (a tax-free register still beats
 * a taxed location); only `undefined` is absent.
 *
 * @throws RangeError when a present candidate is not an integer from 0 to 10000: callers validate input at the
 *   edge, so an invalid rate here is a programming error, never a client's.
 */
export function pickTaxRate(input: TaxRateCandidates): PickedTaxRate {
  const ordered: readonly (readonly [TaxRateSource, number | undefined])[] = [
    ['explicit', input.explicitBps],
    ['register', input.registerBps],
    ['location', input.locationBps],
    ['tenant', input.tenantBps],
    ['default', input.defaultBps],
  ];
  for (const [source, bps] of ordered) {
    if (bps === undefined) continue;
    if (!isValidTaxRateBps(bps)) {
      throw new RangeError(`pickTaxRate: the ${source} rate ${bps} is not an integer from 0 to ${MAX_TAX_RATE_BPS}`);
    }
    return { rate_bps: bps, source };
  }
  // Unreachable for typed callers (defaultBps is required); kept for JavaScript callers of the till.
  throw new RangeError('pickTaxRate: defaultBps is required');
}

/** The tax codes a product variant carries. Only `STD` is taxed. */
export const TAX_CODES = ['STD', 'EXEMPT', 'ZERO', 'NONE'] as const;

/** The tax code of a product variant. */
export type TaxCode = (typeof TAX_CODES)[number];

/**
 * Whether a line with this tax code is taxed: `STD` is; `EXEMPT`, `ZERO` and `NONE` are not (docs/sources.md, seed 000). Tax is
 * computed on the line's amount after discount, at the rate `pickTaxRate` chose.
 */
export function isTaxable(taxCode: TaxCode): boolean {
  return taxCode === 'STD';
}

import { formatBasisPoints, formatMoney } from '@novapos/domain';

/**
 * Minor units as the shop's currency, e.g. 1234 USD → "$12.34", 1500 JPY → "¥1,500", 1234 BHD → "BHD 1.234": the
 * domain's `formatMoney`, integer arithmetic in the currency's own exponent (never a division by a float).
 */
export function money(cents: number, currency: string): string {
  return formatMoney(cents, currency);
}

/** Basis points as a percentage: 1000 → "10 %", 825 → "8.25 %". */
export function percent(bp: number): string {
  return `${formatBasisPoints(bp).slice(0, -1)} %`;
}

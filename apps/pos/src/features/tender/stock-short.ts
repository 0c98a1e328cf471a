import { ApiError } from '../../api/api.ts';
import type { Cart } from '../sale/cart.ts';

/** A line of the sale the stock cannot cover, as the till says it: "Linen shirt — 3 wanted, 0 in stock". */
export interface ShortLine {
  readonly variant_id: string;
  readonly name: string;
  readonly wanted: number;
  readonly available: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The lines a refusal names as short of stock (409 `insufficient_stock`, its `lines`), each by the name the cart
 * shows it under (the server's name, else its SKU, when the cart no longer has the line); undefined when the error
 * is not a stock refusal.
 */
export function shortLinesOf(error: unknown, cart: Pick<Cart, 'lines'>): ShortLine[] | undefined {
  if (!(error instanceof ApiError) || error.code !== 'insufficient_stock') return undefined;
  const lines = Array.isArray(error.body['lines']) ? (error.body['lines'] as unknown[]) : [];
  return lines.filter(isRecord).map((line) => {
    const variantId = typeof line['variant_id'] === 'string' ? line['variant_id'] : '';
    const inCart = cart.lines.find((l) => l.variant_id.toLowerCase() === variantId.toLowerCase());
    const serverName = typeof line['name'] === 'string' ? line['name'] : undefined;
    const sku = typeof line['sku'] === 'string' ? line['sku'] : '';
    return {
      variant_id: variantId,
      name: inCart?.name ?? serverName ?? sku,
      wanted: typeof line['requested'] === 'number' ? line['requested'] : 0,
      available: typeof line['available'] === 'number' ? line['available'] : 0,
    };
  });
}

/** One short line in words. */
export function shortLineText(line: ShortLine): string {
  return `${line.name} — ${line.wanted} wanted, ${line.available} in stock`;
}

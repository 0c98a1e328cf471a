import { api, ok } from './client.ts';
import type { ResultOf } from './types.ts';

/** GET /v1/pos/attention: sequence gaps, refused offline sales and offline cards to review. */
export type Attention = ResultOf<'/v1/pos/attention'>;
export type RefusedSale = Attention['refused'][number];

export function getAttention(): Promise<Attention> {
  return ok(api.GET('/v1/pos/attention'));
}

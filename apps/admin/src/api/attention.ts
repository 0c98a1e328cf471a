import { api, ok } from './client.ts';
import type { ResultOf } from './types.ts';

/** GET /v1/pos/attention: sequence gaps, refused offline sales and offline cards to review. */
export type Attention = ResultOf<'/v1/pos/attention'>;
export type RefusedSale = Attention['refused'][number];

export function getAttention(): Promise<Attention> {
  return ok(api.GET('/v1/pos/attention'));
}

/** Writes off numbers of a till's gap whose sales are lost (the gap closes; audited with the reason). */
export function writeOffGap(gap: { device_id: string; from_seq: number; to_seq: number; reason: string }) {
  return ok(api.POST('/v1/pos/attention/gaps/write-off', { body: gap }));
}

/** Marks an offline card sale as checked against the terminal's report. */
export function markCardChecked(orderId: string) {
  return ok(api.POST('/v1/pos/attention/review/{id}/checked', { params: { path: { id: orderId } } }));
}

import { api, call, ok } from './api.ts';
import type { CancelledOfflineSale, CancelOfflineSaleRequest, ReplayApproval, ReplayApprovalRequest } from './types.ts';

/** A manager's PIN approves one resolution of a refused offline sale (the server audits it). */
export function approveReplay(body: ReplayApprovalRequest): Promise<ReplayApproval> {
  return call(() => ok(api.POST('/v1/pos/replay-approvals', { body })));
}

/**
 * Cancels a refused offline sale with what was handed back to the customer (audited; its number counts as
 * resolved). A repeat after a lost answer is 409 `offline_sale_cancelled`: the caller takes that as done.
 */
export function cancelOfflineSale(id: string, body: CancelOfflineSaleRequest): Promise<CancelledOfflineSale> {
  return call(() =>
    ok(
      api.POST('/v1/pos/offline-sales/{id}/cancel', {
        params: { path: { id } },
        body,
        headers: { 'Idempotency-Key': crypto.randomUUID() },
      }),
    ),
  );
}

import type { Logger } from 'pino';
import { systemContext } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { captureIntent, voidIntent } from '../payments.moves.ts';
import type { PaymentsDeps } from '../payments.service.ts';
import { findStaleAuthorizations } from './jobs.repo.ts';

/** Intents settled per run at most; the rest wait for the next run. */
const BATCH = 200;
/** A completed order's authorization is captured after this: its sale tried once and failed (processor down). */
const CAPTURE_AFTER_MINUTES = 2;

/**
 * Voids every authorization older than PAYMENT_AUTH_TTL_MINUTES, in all tenants. The stale intents are found on
 * the system pool; each is voided by the ordinary `voidIntent` use case in its tenant's system context, so the
 * processor call, the row lock, the audit entry (`payment.voided`, reason `auto_void`) and the metric are those of a
 * manager's void. An authorization of a COMPLETED order is captured instead (the customer has the goods; the sale's
 * own capture failed), a couple of minutes after it was made. A sale's card whose order was never saved (the
 * sale's request died after authorizing it, issue 13) is voided sooner, after PAYMENT_ORPHAN_AUTH_MINUTES, with
 * reason `orphaned`: a sale that failed is retried at once (or its key taken over within seconds), not minutes
 * later. An intent moved meanwhile is refused by the state
 * machine and skipped; a processor that does not answer leaves the intent for the next run.
 */
export async function runAutoVoid(
  deps: PaymentsDeps,
  logger: Pick<Logger, 'warn'>,
): Promise<{ voided: number; captured: number; skipped: number; failed: number }> {
  const stale = await findStaleAuthorizations(deps.db.system, {
    voidAfterMinutes: deps.config.payments.authTtlMinutes,
    captureAfterMinutes: Math.min(CAPTURE_AFTER_MINUTES, deps.config.payments.authTtlMinutes),
    orphanAfterMinutes: Math.min(deps.config.payments.orphanAuthMinutes, deps.config.payments.authTtlMinutes),
    batch: BATCH,
  });
  const counts = { voided: 0, captured: 0, skipped: 0, failed: 0 };
  for (const intent of stale) {
    const ctx = systemContext(intent.tenant_id);
    try {
      if (intent.order_completed) {
        await captureIntent(deps, ctx, intent.id, undefined);
        counts.captured++;
      } else {
        await voidIntent(deps, ctx, intent.id, intent.orphaned ? 'orphaned' : 'auto_void');
        counts.voided++;
      }
    } catch (err) {
      if (err instanceof AppError && err.code === 'invalid_state_transition') {
        counts.skipped++;
      } else {
        counts.failed++;
        logger.warn({ err, intent_id: intent.id }, 'automatic void or capture failed; the next run retries');
      }
    }
  }
  return counts;
}

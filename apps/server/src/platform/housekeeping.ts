import type { Logger } from 'pino';
import type { Database } from './db/database.ts';
import { systemTx } from './db/tx.ts';
import { deleteExpiredKeys } from './http/idempotency.repo.ts';

/**
 * Periodic clean-up that keeps the hot tables small: expired idempotency keys, and refresh tokens a week past
 * their expiry (kept that long so a reuse of a recently expired token can still be traced). Every server may run
 * it; the deletes are idempotent, so running it twice at once does no harm.
 */
export async function runHousekeeping(db: Database): Promise<{ idempotencyKeys: number; refreshTokens: number }> {
  return systemTx(db, async (tx) => {
    const idempotencyKeys = await deleteExpiredKeys(tx);
    const { rowCount } = await tx.query(`DELETE FROM refresh_tokens WHERE expires_at < now() - interval '7 days'`);
    return { idempotencyKeys, refreshTokens: rowCount ?? 0 };
  });
}

/** Runs housekeeping now and then every `everyMs`; returns the function that stops it. */
export function scheduleHousekeeping(db: Database, logger: Logger, everyMs = 60 * 60 * 1000): () => void {
  const run = (): void => {
    runHousekeeping(db).then(
      (removed) => {
        if (removed.idempotencyKeys + removed.refreshTokens > 0) logger.info({ removed }, 'housekeeping');
      },
      (err: unknown) => logger.warn({ err }, 'housekeeping failed; will retry'),
    );
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

import { describe, expect, it } from 'vitest';
import { useShop } from '../../test/harness.ts';
import { systemTx } from './db/tx.ts';
import { purgeExpiredRefreshTokens } from '../modules/auth/index.ts';
import { runHousekeeping } from './housekeeping.ts';

// The owner signs in during the test: that session's refresh token is what expires.
const shop = useShop({ roles: [] });

describe('housekeeping', () => {
  it('removes expired idempotency keys and long-dead refresh tokens, and nothing else', async () => {
    await shop.signIn('owner');
    await systemTx(shop.deps.db, async (tx) => {
      await tx.query(
        `INSERT INTO idempotency_keys (tenant_id, key, method, path, fingerprint, status, expires_at)
         VALUES ($1, 'old', 'POST', '/v1/x', 'f', 'completed', now() - interval '1 hour'),
                ($1, 'live', 'POST', '/v1/x', 'f', 'completed', now() + interval '1 hour')`,
        [shop.tenantId],
      );
      await tx.query(`UPDATE refresh_tokens SET expires_at = now() - interval '8 days'`);
    });
    // The platform purges its idempotency keys; auth purges its own refresh tokens (its own schedule).
    const removed = await runHousekeeping(shop.deps.db);
    expect(removed.idempotencyKeys).toBe(1);
    expect(await purgeExpiredRefreshTokens(shop.deps.db.system)).toBeGreaterThanOrEqual(1);
    const { rows } = await systemTx(shop.deps.db, (tx) =>
      tx.query<{ key: string }>('SELECT key FROM idempotency_keys'),
    );
    expect(rows.map((r) => r.key)).toEqual(['live']);
  });
});

import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { TestApp } from '../../../test/harness.ts';

/**
 * Signs a delivery the way a processor does, written from seed 000 (docs/sources.md) independently of our verifier:
 * `sha256=` + hex HMAC-SHA256(secret, "ts:<ts>\nnonce:<nonce>\nbody_sha256:<hex sha256(body)>").
 */
export function signDelivery(
  secret: string,
  body: string | Buffer,
  opts: { ts?: number | string; nonce?: string } = {},
): Record<string, string> {
  const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? randomUUID();
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const signature = createHmac('sha256', secret)
    .update(`ts:${ts}\nnonce:${nonce}\nbody_sha256:${bodyHash}`)
    .digest('hex');
  return { 'x-signature': `sha256=${signature}`, 'x-timestamp': ts, 'x-nonce': nonce };
}

/** Posts a raw JSON body to /v1/webhooks/:provider with the given headers (no token: processors have none). */
export function postWebhook(
  t: Pick<TestApp, 'app'>,
  provider: string,
  body: string | Buffer,
  headers: Record<string, string>,
) {
  return t.app.inject({
    method: 'POST',
    url: `/v1/webhooks/${provider}`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: body,
  });
}

import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/** A new endpoint secret: `whsec_` + base64 of 24 random bytes (the Standard Webhooks format). */
export function newEndpointSecret(): string {
  return PREFIX + randomBytes(24).toString('base64');
}

/** What lists show of a secret: the prefix and its last four characters. */
export function maskSecret(secret: string): string {
  return `${PREFIX}…${secret.slice(-4)}`;
}

/** The key bytes of a `whsec_…` secret: the base64 after the prefix. */
function keyOf(secret: string): Buffer {
  if (!secret.startsWith(PREFIX)) throw new Error('a webhook secret starts with whsec_');
  return Buffer.from(secret.slice(PREFIX.length), 'base64');
}

/**
 * The Standard Webhooks signature header value for one attempt: `v1,` + base64 HMAC-SHA256 over
 * `${id}.${timestamp}.${body}` with the decoded secret. `timestamp` is unix seconds, as sent in `webhook-timestamp`.
 */
export function signDelivery(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

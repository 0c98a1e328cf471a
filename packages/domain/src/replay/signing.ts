import { canonicalJson } from '../canonical-json.ts';

/**
 * The offline block of a sale a till queued while the server was unreachable: which device of the register took
 * it, its number in that device's unbroken sequence, the till's clock when it was taken, and the device's
 * Ed25519 signature (base64url, 64 bytes) over `offlineSigningPayload` of the order body.
 */
export interface OfflineBlock {
  readonly device_id: string;
  readonly seq: number;
  readonly created_at: string;
  readonly signature: string;
}

/** The fields of an order body that are not the sale itself, so neither signed nor hashed. */
const UNSIGNED_FIELDS = new Set(['id', 'replay_resolution']);

/**
 * The bytes a till's device signs and the server verifies for a sale queued offline: the canonical JSON
 * (RFC 8785, `canonicalJson`) of the order body as queued, without `offline.signature` (it cannot sign itself),
 * without `replay_resolution` (a person's later choice, carried beside the sale: its approvals are the server's
 * own signed tokens) and without the client `id` (the same sale re-queued under another client id after "Reset
 * this till" or from a second tab is still the same sale, and is recognised as such by its content hash).
 *
 * The sale's content hash is the SHA-256 (lower-case hex) of this text's UTF-8 bytes: the server computes it with
 * node:crypto, the till with `crypto.subtle.digest('SHA-256', …)`.
 */
export function offlineSigningPayload(body: Readonly<Record<string, unknown>>): string {
  const signed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (UNSIGNED_FIELDS.has(key)) continue;
    if (key === 'offline' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const { signature: _signature, ...rest } = value as Record<string, unknown>;
      signed[key] = rest;
      continue;
    }
    signed[key] = value;
  }
  return canonicalJson(signed);
}

/** The hash algorithm of a sale's content hash (Web Crypto's name; node:crypto calls it 'sha256'). */
export const SALE_CONTENT_HASH_ALGORITHM = 'SHA-256';

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../platform/errors.ts';

/** The secrets that may have signed a delivery: the active one, and during a rotation the previous one. */
export interface WebhookSecrets {
  readonly active: string;
  readonly previous: string | undefined;
}

/** The signature headers as received (Node lower-cases header names). */
export interface SignatureHeaders {
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
  readonly nonce: string | undefined;
}

/** What a verified delivery proved: when it was signed, its nonce, and which secret signed it. */
export interface VerifiedSignature {
  readonly timestamp: number;
  readonly nonce: string;
  readonly signedWith: 'active' | 'previous';
}

const NONCE = /^[\x21-\x7e]{1,200}$/;
const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/** Seed 000's canonical string: `ts:<X-Timestamp>\nnonce:<X-Nonce>\nbody_sha256:<hex sha256 of the raw body>`. */
export function canonicalString(timestamp: string, nonce: string, rawBody: Buffer): string {
  const bodyHash = createHash('sha256').update(rawBody).digest('hex');
  return `ts:${timestamp}\nnonce:${nonce}\nbody_sha256:${bodyHash}`;
}

function hmac(secret: string, canonical: string): Buffer {
  return createHmac('sha256', secret).update(canonical, 'utf8').digest();
}

/**
 * Checks a delivery's signature, in the order of seed 000 (docs/sources.md): headers present (`sig_missing`), timestamp an integer of
 * epoch seconds (`sig_ts_invalid`), within `maxSkewSeconds` of now either way (`sig_skew`), and the HMAC-SHA256
 * by the active secret or else the previous one (`sig_mismatch`), compared in constant time. The nonce's
 * single use is checked where it is stored (`sig_replay`), in the transaction that stores the event.
 */
export function verifySignature(
  headers: SignatureHeaders,
  rawBody: Buffer,
  secrets: WebhookSecrets,
  maxSkewSeconds: number,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): VerifiedSignature {
  const { signature, timestamp, nonce } = headers;
  if (signature === undefined || signature === '') throw missing('X-Signature');
  if (timestamp === undefined || timestamp === '') throw missing('X-Timestamp');
  if (nonce === undefined || nonce === '') throw missing('X-Nonce');
  // A nonce is stored as a primary key: bound its length so a huge header cannot reach the index.
  if (!NONCE.test(nonce)) throw new AppError('sig_missing', 'X-Nonce must be 1 to 200 printable ASCII characters');
  if (!TIMESTAMP.test(timestamp)) {
    throw new AppError('sig_ts_invalid', 'X-Timestamp must be a whole number of seconds since the Unix epoch');
  }
  const ts = Number(timestamp);
  if (Math.abs(nowSeconds - ts) > maxSkewSeconds) {
    throw new AppError('sig_skew', `X-Timestamp is more than ${maxSkewSeconds} seconds away from our clock`);
  }
  const given = SIGNATURE.exec(signature)?.[1];
  if (given !== undefined) {
    const presented = Buffer.from(given, 'hex');
    const canonical = canonicalString(timestamp, nonce, rawBody);
    // Both secrets are always computed, so the time taken does not reveal which one (if any) matched.
    const activeOk = timingSafeEqual(presented, hmac(secrets.active, canonical));
    const previousOk = secrets.previous !== undefined && timingSafeEqual(presented, hmac(secrets.previous, canonical));
    if (activeOk) return { timestamp: ts, nonce, signedWith: 'active' };
    if (previousOk) return { timestamp: ts, nonce, signedWith: 'previous' };
  }
  throw new AppError('sig_mismatch', 'X-Signature does not match the body, timestamp and nonce');
}

function missing(header: string): AppError {
  return new AppError('sig_missing', `${header} is required`);
}

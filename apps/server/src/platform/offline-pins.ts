import { pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/**
 * PBKDF2 iterations of a new offline PIN verifier. Chosen so that one check takes about 100–300 ms in Chromium's
 * WebCrypto on the 2-core machine the project is measured on (docs/security.md, "Offline sign-in": a median of
 * about 180 ms under load). Each verifier stores its own count, so raising this later
 * breaks no verifier already on a till; new ones are made at the next PIN change or first PIN sign-in.
 */
export const OFFLINE_PIN_ITERATIONS = 1_000_000;

/** Salt and output lengths, in bytes (the migration checks them too). */
export const OFFLINE_PIN_SALT_BYTES = 16;
export const OFFLINE_PIN_HASH_BYTES = 32;

/** What a till needs to check a PIN without the server: PBKDF2-HMAC-SHA-256(PIN as UTF-8, salt, iterations). */
export interface OfflinePinVerifier {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly hash: Buffer;
}

/**
 * A fresh verifier of a PIN, with a random salt. Slow on purpose (it runs on libuv's thread pool, not the event
 * loop): call it before opening a transaction, never inside one.
 */
export async function makeOfflinePinVerifier(
  pin: string,
  iterations = OFFLINE_PIN_ITERATIONS,
): Promise<OfflinePinVerifier> {
  const salt = randomBytes(OFFLINE_PIN_SALT_BYTES);
  const hash = await pbkdf2Async(Buffer.from(pin, 'utf8'), salt, iterations, OFFLINE_PIN_HASH_BYTES, 'sha256');
  return { salt, iterations, hash };
}

/**
 * The device key (docs/pos.md "Replay"): each till signs the sales it queues offline with an Ed25519 key made at
 * set-up in the browser's own key store (WebCrypto; the private key is not extractable), so the server can tell a
 * sale this device made from one altered or forged since. The signed text is the domain's `offlineSigningPayload`.
 */
import { offlineSigningPayload } from '@novapos/domain';
import type { OfflineBlock, OrderBody } from '../api/types.ts';
import type { DeviceKey } from '../data/db.ts';

/** base64url without padding, as the API writes keys and signatures. */
export function base64url(bytes: ArrayBuffer): string {
  let binary = '';
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A new key pair: the private key stays in the browser (not extractable), the public key comes out raw, base64url. */
export async function newDeviceKeyPair(): Promise<{ privateKey: CryptoKey; publicKey: string }> {
  const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  return { privateKey: pair.privateKey, publicKey: base64url(await crypto.subtle.exportKey('raw', pair.publicKey)) };
}

/** The offline block of a sale: this device, its number, the till's time, and the signature over the sale. */
export async function signOffline(
  body: OrderBody,
  key: DeviceKey,
  seq: number,
  createdAt: string,
): Promise<OfflineBlock> {
  const offline = { device_id: key.device_id, seq, created_at: createdAt };
  const payload = offlineSigningPayload({ ...body, offline });
  const signature = await crypto.subtle.sign({ name: 'Ed25519' }, key.private_key, new TextEncoder().encode(payload));
  return { ...offline, signature: base64url(signature) };
}

import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { offlineSigningPayload } from '@novapos/domain';
import { bodyOf, type Tenant } from '../../../test/harness.ts';

/** A till device as a test makes it: an Ed25519 key pair, registered with a register by its manager. */
export interface TestDevice {
  readonly id: string;
  readonly registerId: string;
  readonly privateKey: KeyObject;
  /** The next number of its offline sequence. */
  seq: number;
}

/** The raw public key (32 bytes, base64url) of a fresh key pair, and its private key. */
export function keyPair(): { publicKey: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { publicKey: jwk.x as string, privateKey };
}

export async function addDevice(tenant: Tenant, registerId = tenant.registerId, label = 'Till 1 tablet') {
  const { publicKey, privateKey } = keyPair();
  const res = await tenant.as('manager').post(`/v1/registers/${registerId}/devices`, { public_key: publicKey, label });
  const { device_id } = bodyOf<{ device_id: string }>(res, 201);
  return { id: device_id, registerId, privateKey, seq: 1 } satisfies TestDevice;
}

/** Signs an order body as the till's device does: over offlineSigningPayload(body). */
export function signSale<T extends { offline: { signature?: string } }>(body: T, privateKey: KeyObject): T {
  const signature = sign(null, Buffer.from(offlineSigningPayload(body), 'utf8'), privateKey).toString('base64url');
  return { ...body, offline: { ...body.offline, signature } };
}

export interface OfflineSaleOptions {
  readonly items: readonly { variant_id: string; quantity: number; discount_percent_bp?: number }[];
  /** The prices the till showed, one per item; with the tax rate and total it showed. */
  readonly lock: { readonly prices: readonly number[]; readonly taxRateBps: number; readonly totalCents: number };
  readonly tenders?: readonly { method: string; amount_cents: number; reference?: string }[];
  readonly discountBp?: number;
  readonly seq?: number;
  readonly createdAt?: string;
}

/** A sale the device queued offline, signed, taking the device's next number unless `seq` is given. */
export function offlineSale(device: TestDevice, options: OfflineSaleOptions) {
  const seq = options.seq ?? device.seq++;
  return signSale(
    {
      id: randomUUID(),
      register_id: device.registerId,
      items: options.items,
      ...(options.discountBp === undefined ? {} : { discount_percent_bp: options.discountBp }),
      tenders: options.tenders ?? [{ method: 'cash', amount_cents: options.lock.totalCents }],
      price_lock: {
        lines: options.items.map((item, i) => ({
          variant_id: item.variant_id,
          unit_price_cents: options.lock.prices[i] ?? 0,
        })),
        tax_rate_bps: options.lock.taxRateBps,
        total_cents: options.lock.totalCents,
      },
      offline: {
        device_id: device.id,
        seq,
        created_at: options.createdAt ?? '2026-12-05T08:15:00.000Z',
        signature: '',
      },
    },
    device.privateKey,
  );
}

import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { RequestContext } from '../../platform/context.ts';
import type { Database, Queryable } from '../../platform/db/database.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { findTillRegister } from '../tenancy/index.ts';
import { findDevice, insertDevice, listDevices, revokeDevice, type RegisterDeviceRow } from './devices.repo.ts';
import type { DeviceDto, RegisterDeviceInput, RegisterDeviceResult } from './pos.schemas.ts';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The 32 bytes of a base64url raw Ed25519 public key, or a 400 naming the field. */
function rawPublicKey(text: string): Buffer {
  const bytes = BASE64URL.test(text) ? Buffer.from(text, 'base64url') : Buffer.alloc(0);
  if (bytes.length !== 32 || bytes.toString('base64url') !== text) {
    throw invalidField('public_key', 'must be a raw Ed25519 public key: 32 bytes, base64url without padding');
  }
  return bytes;
}

/** The node:crypto key of a raw Ed25519 public key (as a JWK: no DER prefix to get wrong). */
function ed25519Key(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/**
 * Issues a device of a register (docs/pos.md "Replay"): the till made an Ed25519 key pair at set-up and sends its
 * public key with a manager's token; it signs every sale it queues offline with the private key, which never
 * leaves the browser. Audited on the register's chain.
 */
export async function registerDevice(
  db: Database,
  ctx: RequestContext,
  registerId: string,
  input: RegisterDeviceInput,
): Promise<RegisterDeviceResult> {
  const publicKey = rawPublicKey(input.public_key);
  ed25519Key(publicKey);
  const at: RequestContext = { ...ctx, registerId };
  return tenantTx(db, at, async (tx) => {
    const register = await findTillRegister(tx, registerId);
    if (
      register === undefined ||
      register.archived ||
      (ctx.locationIds.length > 0 && !ctx.locationIds.includes(register.location_id))
    ) {
      throw new AppError('register_not_found', 'No active register has this id');
    }
    const device = await insertDevice(tx, at, {
      id: newId(),
      register_id: registerId,
      public_key: publicKey,
      label: input.label,
      created_by: ctx.actorId ?? null,
    });
    await recordAudit(tx, at, {
      action: 'pos.device_registered',
      entityType: 'register',
      entityId: registerId,
      data: { device_id: device.id, label: device.label, public_key: input.public_key },
    });
    return {
      device_id: device.id,
      register_id: device.register_id,
      label: device.label,
      created_at: device.created_at.toISOString(),
    };
  });
}

/** An active (not revoked) device of this tenant's register, with the key that verifies its signatures. */
export interface ActiveDevice {
  readonly id: string;
  readonly register_id: string;
  readonly label: string;
  readonly key: KeyObject;
}

export async function findActiveDevice(tx: Queryable, deviceId: string): Promise<ActiveDevice | undefined> {
  const row = await findDevice(tx, deviceId);
  if (row === undefined || row.revoked_at !== null) return undefined;
  return { id: row.id, register_id: row.register_id, label: row.label, key: ed25519Key(row.public_key) };
}

/** Whether `signature` (base64url) is the device's Ed25519 signature of `payload` (UTF-8). */
export function deviceSigned(device: ActiveDevice, payload: string, signature: string): boolean {
  const bytes = Buffer.from(signature, 'base64url');
  if (bytes.length !== 64) return false;
  try {
    return verify(null, Buffer.from(payload, 'utf8'), device.key, bytes);
  } catch {
    return false;
  }
}

function deviceDto(row: RegisterDeviceRow): DeviceDto {
  return {
    device_id: row.id,
    register_id: row.register_id,
    label: row.label,
    public_key: row.public_key.toString('base64url'),
    created_at: row.created_at.toISOString(),
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}

/** A register of this tenant the actor may manage (archived too: its devices may still be revoked), or a 404. */
async function registerInScope(tx: Queryable, ctx: RequestContext, registerId: string) {
  const register = await findTillRegister(tx, registerId);
  if (register === undefined || (ctx.locationIds.length > 0 && !ctx.locationIds.includes(register.location_id))) {
    throw new AppError('register_not_found', 'No register has this id');
  }
  return register;
}

/** The devices of a register, revoked ones included. */
export function registerDevices(db: Database, ctx: RequestContext, registerId: string) {
  return tenantTx(db, ctx, async (tx) => {
    await registerInScope(tx, ctx, registerId);
    return { devices: (await listDevices(tx, registerId)).map(deviceDto) };
  });
}

/**
 * Revokes a device (a lost or stolen tablet): sales it signs from now on, queued or not, are refused (404
 * `device_not_found`, audited). Audited `pos.device_revoked`.
 */
export function revokeRegisterDevice(db: Database, ctx: RequestContext, registerId: string, deviceId: string) {
  const at: RequestContext = { ...ctx, registerId };
  return tenantTx(db, at, async (tx) => {
    await registerInScope(tx, ctx, registerId);
    const row = await revokeDevice(tx, registerId, deviceId);
    if (row === undefined) throw new AppError('device_not_found', 'No active device of this register has this id');
    await recordAudit(tx, at, {
      action: 'pos.device_revoked',
      entityType: 'register',
      entityId: registerId,
      data: { device_id: deviceId, label: row.label },
    });
    return deviceDto(row);
  });
}

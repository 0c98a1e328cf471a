import { requireTenant, type RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/database.ts';

/** A till device of a register (migration 0022): its raw Ed25519 public key, who set it up and when. */
export interface RegisterDeviceRow {
  id: string;
  register_id: string;
  public_key: Buffer;
  label: string;
  created_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

export async function insertDevice(
  tx: Queryable,
  ctx: RequestContext,
  device: Pick<RegisterDeviceRow, 'id' | 'register_id' | 'public_key' | 'label' | 'created_by'>,
): Promise<RegisterDeviceRow> {
  const { rows } = await tx.query<RegisterDeviceRow>(
    `INSERT INTO register_devices (id, tenant_id, register_id, public_key, label, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, register_id, public_key, label, created_by, created_at, revoked_at`,
    [device.id, requireTenant(ctx), device.register_id, device.public_key, device.label, device.created_by],
  );
  return rows[0] as RegisterDeviceRow;
}

/** A device of this tenant (row-level security hides every other tenant's), revoked or not. */
export async function findDevice(tx: Queryable, id: string): Promise<RegisterDeviceRow | undefined> {
  const { rows } = await tx.query<RegisterDeviceRow>(
    'SELECT id, register_id, public_key, label, created_by, created_at, revoked_at FROM register_devices WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** The devices of a register, oldest first (a register has a handful). */
export async function listDevices(tx: Queryable, registerId: string): Promise<RegisterDeviceRow[]> {
  const { rows } = await tx.query<RegisterDeviceRow>(
    `SELECT id, register_id, public_key, label, created_by, created_at, revoked_at FROM register_devices
      WHERE register_id = $1 ORDER BY created_at, id`,
    [registerId],
  );
  return rows;
}

/** Revokes a device of the register; undefined when it is not one of the register's or already revoked. */
export async function revokeDevice(
  tx: Queryable,
  registerId: string,
  deviceId: string,
): Promise<RegisterDeviceRow | undefined> {
  const { rows } = await tx.query<RegisterDeviceRow>(
    `UPDATE register_devices SET revoked_at = now() WHERE id = $1 AND register_id = $2 AND revoked_at IS NULL
     RETURNING id, register_id, public_key, label, created_by, created_at, revoked_at`,
    [deviceId, registerId],
  );
  return rows[0];
}

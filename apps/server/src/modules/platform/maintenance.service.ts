import type { BaseLogger } from 'pino';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { platformTx } from '../../platform/db/tx.ts';
import type { MaintenanceState, MaintenanceStatus } from '../../platform/maintenance.ts';
import { recordAudit } from '../audit/index.ts';
import { readSetting, writeSetting } from './platform.repo.ts';

/** The platform_settings key MaintenanceState reads. */
const KEY = 'maintenance';
const OFF: MaintenanceStatus = { enabled: false, message: null, since: null };

/** The stored value read defensively: a hand-edited row must not break the switch that would fix it. */
function parseStatus(value: unknown): MaintenanceStatus {
  if (typeof value !== 'object' || value === null) return OFF;
  const v = value as Record<string, unknown>;
  if (v.enabled !== true) return OFF;
  return {
    enabled: true,
    message: typeof v.message === 'string' ? v.message : null,
    since: typeof v.since === 'string' ? v.since : null,
  };
}

/** Maintenance mode as stored now (not this server's cached copy). */
export async function getMaintenance(db: Database): Promise<MaintenanceStatus> {
  return parseStatus(await platformTx(db, (tx) => readSetting(tx, KEY)));
}

export interface SetMaintenanceDeps {
  readonly db: Database;
  readonly maintenance: MaintenanceState;
}

/**
 * Switches maintenance mode on or off for every server. Stored in platform_settings and audited
 * (`platform.maintenance_enabled` / `platform.maintenance_disabled`, platform chain) in one transaction; then
 * this server's cache is refreshed so it applies the change at once, and the others follow on their next refresh
 * (every 2 s). Changing the message while on keeps the original `since`.
 */
export async function setMaintenance(
  deps: SetMaintenanceDeps,
  ctx: RequestContext,
  input: { enabled: boolean; message?: string | undefined },
  log: Pick<BaseLogger, 'info' | 'warn'>,
): Promise<MaintenanceStatus> {
  const platformCtx: RequestContext = { ...ctx, tenantId: undefined, registerId: undefined };
  const next = await platformTx(deps.db, async (tx) => {
    // Locked, so two operators switching at once are audited in the order they took effect.
    const previous = parseStatus(await readSetting(tx, KEY, true));
    const status: MaintenanceStatus = input.enabled
      ? {
          enabled: true,
          message: input.message ?? null,
          since: previous.enabled ? previous.since : new Date().toISOString(),
        }
      : OFF;
    await writeSetting(tx, KEY, status, ctx.actorId ?? null);
    await recordAudit(tx, platformCtx, {
      action: status.enabled ? 'platform.maintenance_enabled' : 'platform.maintenance_disabled',
      entityType: 'platform_setting',
      entityId: KEY,
      data: { before: previous, after: status },
    });
    return status;
  });
  try {
    await deps.maintenance.refresh();
  } catch (err) {
    // Committed already: the refresh timer catches up, so the switch itself did not fail.
    log.warn({ err: (err as Error).message }, 'maintenance mode changed but this server could not re-read it');
  }
  log.info({ maintenance: next }, next.enabled ? 'maintenance mode on' : 'maintenance mode off');
  return next;
}

import type { RequestContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { makeOfflinePinVerifier } from '../../platform/offline-pins.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { pinLookup } from '../../platform/pins.ts';
import { recordAudit } from '../audit/index.ts';
import { removeOfflinePin, saveOfflinePin } from './offline-pins.repo.ts';
import * as repo from './users.repo.ts';
import { assertMayGrant, assertMayManage, assertOwnerRemains, changedRoles, sortRoles } from './users.rules.ts';
import type { UpdateUserInput, UserDto } from './users.schemas.ts';
import {
  checkLocationScope,
  cleanDisplayName,
  conflictOf,
  userNotFound,
  viewOf,
  type UsersDeps,
} from './users.service.ts';

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Changes a user's name, roles, location scope, PIN (null removes it) or password, each change audited on its
 * own. Roles follow the granting rules (users.rules.ts) and never leave the tenant without an active owner. A new
 * password ends the user's sessions: whoever knew the old one is signed out. Fields equal to the stored value
 * change nothing and are not audited.
 */
export async function updateUser(
  deps: UsersDeps,
  ctx: RequestContext,
  id: string,
  input: UpdateUserInput,
): Promise<UserDto> {
  const tenantId = ctx.tenantId;
  if (tenantId === undefined) throw new AppError('forbidden', 'Users belong to a tenant');
  const displayName = input.display_name === undefined ? undefined : cleanDisplayName(input.display_name);
  const wantedRoles = input.roles === undefined ? undefined : sortRoles(input.roles);
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  const pin =
    input.pin === undefined || input.pin === null ? input.pin : pinLookup(deps.pinPepper, tenantId, input.pin);
  // A new PIN gets a new offline verifier (docs/security.md); the old one stops matching and is replaced.
  const offlinePin =
    input.pin === undefined || input.pin === null ? undefined : await makeOfflinePinVerifier(input.pin);

  return tenantTx(deps.db, ctx, async (tx) => {
    // Owners first, then the target: the one lock order every user change follows (see lockActiveOwnerIds).
    const owners = await repo.lockActiveOwnerIds(tx);
    const before = await repo.lockUser(tx, id);
    if (before === undefined) throw userNotFound();
    assertMayManage(ctx, before);
    const beforeRoles = sortRoles(before.roles);
    const beforeLocations = await repo.userLocationIds(tx, id);

    const roles = wantedRoles !== undefined && !sameList(wantedRoles, beforeRoles) ? wantedRoles : undefined;
    if (roles !== undefined) {
      assertMayGrant(ctx, changedRoles(beforeRoles, roles));
      if (before.active && beforeRoles.includes('owner') && !roles.includes('owner')) assertOwnerRemains(owners, id);
    }
    const wantedLocations =
      input.location_ids === undefined ? undefined : await checkLocationScope(tx, input.location_ids);
    const locations =
      wantedLocations !== undefined && !sameList(wantedLocations, beforeLocations) ? wantedLocations : undefined;
    const name = displayName !== undefined && displayName !== before.display_name ? displayName : undefined;
    const pinChanged = pin !== undefined && pin !== before.pin_lookup;

    const patch: repo.UserPatch = { displayName: name, roles, pinLookup: pinChanged ? pin : undefined, passwordHash };
    if (locations !== undefined || Object.values(patch).some((v) => v !== undefined)) {
      await repo.updateUser(tx, id, patch).catch((err: unknown) => {
        throw conflictOf(err);
      });
    }
    if (locations !== undefined) await repo.setUserLocations(tx, ctx, id, locations);
    if (pinChanged && pin === null) await removeOfflinePin(tx, id);
    if (pinChanged && pin !== null && offlinePin !== undefined) await saveOfflinePin(tx, ctx, id, pin, offlinePin);

    const audit = (action: string, data: Record<string, unknown>) =>
      recordAudit(tx, ctx, { action, entityType: 'user', entityId: id, data });
    if (name !== undefined) {
      await audit('user.updated', { before: { display_name: before.display_name }, after: { display_name: name } });
    }
    if (roles !== undefined) await audit('user.roles_changed', { before: beforeRoles, after: roles });
    if (locations !== undefined) {
      await audit('user.location_scope_changed', { before: beforeLocations, after: locations });
    }
    // Never the PIN or its lookup: only whether one is set.
    if (pinChanged) await audit('user.pin_changed', { had_pin: before.pin_lookup !== null, has_pin: pin !== null });
    if (passwordHash !== undefined) {
      const revoked = await deps.endSessions(tx, id, 'password_changed');
      await audit('user.password_changed', { revoked_sessions: revoked });
    }
    return viewOf(tx, id);
  });
}

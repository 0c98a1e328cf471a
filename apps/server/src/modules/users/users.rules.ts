import { mayGrantRole, TENANT_ROLES, type TenantRole } from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';

/** Roles in their canonical order (owner first), so before/after comparisons and audit data are stable. */
export function sortRoles(roles: readonly TenantRole[]): TenantRole[] {
  return TENANT_ROLES.filter((r) => roles.includes(r));
}

/** Roles in one list and not the other, both ways. */
export function changedRoles(before: readonly TenantRole[], after: readonly TenantRole[]): TenantRole[] {
  return TENANT_ROLES.filter((r) => before.includes(r) !== after.includes(r));
}

/**
 * Every role given or taken away must be one the actor may grant: nobody hands out a role above their own, and
 * only an owner makes (or unmakes) owners. 403 `role_not_grantable`.
 */
export function assertMayGrant(ctx: RequestContext, roles: readonly TenantRole[]): void {
  const refused = roles.filter((r) => !mayGrantRole(ctx.roles, r));
  if (refused.length > 0) {
    throw new AppError('role_not_grantable', `You may not grant or remove the role: ${refused.join(', ')}`, {
      errors: [{ field: 'roles', message: `may not include ${refused.join(', ')} when you grant it` }],
    });
  }
}

/** An owner's account is changed only by an owner: an admin cannot edit, lock out or demote the people above. */
export function assertMayManage(ctx: RequestContext, target: { roles: readonly TenantRole[] }): void {
  if (target.roles.includes('owner') && !ctx.roles.includes('owner')) {
    throw new AppError('forbidden', "Only an owner may change an owner's account");
  }
}

/**
 * The tenant keeps at least one active owner. `activeOwnerIds` must have been read with their locks
 * (lockActiveOwnerIds) in this transaction; `targetId` is the owner about to stop being one. 409 `last_owner`.
 */
export function assertOwnerRemains(activeOwnerIds: readonly string[], targetId: string): void {
  if (!activeOwnerIds.some((id) => id !== targetId)) {
    throw new AppError('last_owner', 'This is the last active owner of the tenant; make someone else owner first');
  }
}

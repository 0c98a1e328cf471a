/**
 * Roles of NovaPOS users. Tenant roles are ordered from most to least powerful; `superadmin` is the platform
 * operator's role and belongs to no tenant.
 */
export const TENANT_ROLES = ['owner', 'admin', 'manager', 'cashier'] as const;

/** A role inside one tenant. */
export type TenantRole = (typeof TENANT_ROLES)[number];

/** Every role a token can carry. */
export type Role = TenantRole | 'superadmin';

export const ALL_ROLES: readonly Role[] = [...TENANT_ROLES, 'superadmin'];

const RANK: Record<TenantRole, number> = { owner: 4, admin: 3, manager: 2, cashier: 1 };

/** True when `value` names a tenant role. */
export function isTenantRole(value: string): value is TenantRole {
  return (TENANT_ROLES as readonly string[]).includes(value);
}

/** True when `value` names any role. */
export function isRole(value: string): value is Role {
  return value === 'superadmin' || isTenantRole(value);
}

/**
 * The tenant roles at or above `role`: `rolesAtLeast('manager')` is `['owner', 'admin', 'manager']`.
 * Routes use it to say "manager or above" without listing roles by hand.
 */
export function rolesAtLeast(role: TenantRole): TenantRole[] {
  return TENANT_ROLES.filter((r) => RANK[r] >= RANK[role]);
}

/** True when any of `held` is allowed by `allowed`. */
export function hasAnyRole(held: readonly Role[], allowed: readonly Role[]): boolean {
  return held.some((r) => allowed.includes(r));
}

/** The highest-ranked tenant role in `held`, or undefined when it holds none. */
export function highestTenantRole(held: readonly Role[]): TenantRole | undefined {
  let best: TenantRole | undefined;
  for (const r of held) {
    if (isTenantRole(r) && (best === undefined || RANK[r] > RANK[best])) best = r;
  }
  return best;
}

/**
 * Whether an actor holding `actorRoles` may grant `target` to someone. Nobody grants a role above their own;
 * only an owner makes owners.
 */
export function mayGrantRole(actorRoles: readonly Role[], target: TenantRole): boolean {
  const top = highestTenantRole(actorRoles);
  if (top === undefined) return false;
  if (target === 'owner') return top === 'owner';
  return RANK[top] >= RANK[target];
}

import { hasAnyRole, rolesAtLeast, type Role } from '@novapos/domain';

/**
 * What the signed-in roles may do, mirroring each route's `access` on the server. The server enforces every
 * limit; the back office only hides what would be refused, so nobody is offered a button that answers 403.
 */
const RULES = {
  'reports.read': rolesAtLeast('manager'),
  'catalog.write': rolesAtLeast('manager'),
  'stock.write': rolesAtLeast('manager'),
  'stock.history': rolesAtLeast('manager'),
  'tax.read': rolesAtLeast('manager'),
  'tax.write': rolesAtLeast('manager'),
  'tax.delete': rolesAtLeast('admin'),
  'settings.write': rolesAtLeast('admin'),
  'users.manage': rolesAtLeast('admin'),
  'locations.write': rolesAtLeast('admin'),
  'registers.write': rolesAtLeast('manager'),
  'orders.void': rolesAtLeast('manager'),
  'audit.read': rolesAtLeast('manager'),
  'attention.read': rolesAtLeast('manager'),
  'audit.verify': rolesAtLeast('admin'),
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof RULES;

export function allowed(roles: readonly string[], permission: Permission): boolean {
  return hasAnyRole(roles as readonly Role[], RULES[permission]);
}

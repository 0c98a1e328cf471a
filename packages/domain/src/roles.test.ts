import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TENANT_ROLES, hasAnyRole, highestTenantRole, isRole, mayGrantRole, rolesAtLeast } from './index.ts';

describe('roles', () => {
  it('orders tenant roles from owner down to cashier', () => {
    expect(rolesAtLeast('manager')).toEqual(['owner', 'admin', 'manager']);
    expect(rolesAtLeast('cashier')).toEqual(['owner', 'admin', 'manager', 'cashier']);
    expect(rolesAtLeast('owner')).toEqual(['owner']);
  });

  it('recognises roles and rejects anything else', () => {
    expect(isRole('superadmin')).toBe(true);
    expect(isRole('cashier')).toBe(true);
    expect(isRole('Admin')).toBe(false);
    expect(isRole('root')).toBe(false);
  });

  it('matches any held role against the allowed list', () => {
    expect(hasAnyRole(['cashier'], rolesAtLeast('manager'))).toBe(false);
    expect(hasAnyRole(['cashier', 'manager'], rolesAtLeast('manager'))).toBe(true);
    expect(hasAnyRole(['superadmin'], rolesAtLeast('cashier'))).toBe(false);
  });

  it('finds the highest tenant role', () => {
    expect(highestTenantRole(['cashier', 'admin'])).toBe('admin');
    expect(highestTenantRole(['superadmin'])).toBeUndefined();
  });

  it('never lets anyone grant a role above their own, and only owners make owners', () => {
    const role = fc.constantFrom(...TENANT_ROLES);
    fc.assert(
      fc.property(role, role, (actor, target) => {
        const allowed = mayGrantRole([actor], target);
        const actorRank = TENANT_ROLES.length - TENANT_ROLES.indexOf(actor);
        const targetRank = TENANT_ROLES.length - TENANT_ROLES.indexOf(target);
        if (target === 'owner') return allowed === (actor === 'owner');
        return allowed === actorRank >= targetRank;
      }),
    );
    expect(mayGrantRole(['superadmin'], 'cashier')).toBe(false);
  });
});

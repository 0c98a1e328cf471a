import { describe, expect, it } from 'vitest';
import { allowed } from './permissions.ts';

describe('what the back office shows to each role', () => {
  it('mirrors the server: cashiers read, managers run the shop, admins manage staff and verify the chain', () => {
    expect(allowed(['cashier'], 'catalog.write')).toBe(false);
    expect(allowed(['cashier'], 'reports.read')).toBe(false);
    expect(allowed(['manager'], 'catalog.write')).toBe(true);
    expect(allowed(['manager'], 'orders.void')).toBe(true);
    expect(allowed(['manager'], 'audit.read')).toBe(true);
    expect(allowed(['manager'], 'audit.verify')).toBe(false);
    expect(allowed(['manager'], 'users.manage')).toBe(false);
    expect(allowed(['manager'], 'tax.delete')).toBe(false);
    expect(allowed(['manager'], 'settings.write')).toBe(false);
    expect(allowed(['cashier'], 'settings.write')).toBe(false);
    expect(allowed(['admin'], 'settings.write')).toBe(true);
    expect(allowed(['owner'], 'settings.write')).toBe(true);
    expect(allowed(['admin'], 'audit.verify')).toBe(true);
    expect(allowed(['admin'], 'users.manage')).toBe(true);
    expect(allowed(['owner'], 'locations.write')).toBe(true);
    // Several roles: the most powerful one counts.
    expect(allowed(['cashier', 'manager'], 'stock.write')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { discountNeedsApproval, type DiscountCheck } from './discount-approval.ts';

const base: DiscountCheck = { line_discount_bps: [0, 500], order_discount_bp: 800, limit_bp: 1000, roles: ['cashier'] };

describe('discountNeedsApproval', () => {
  it('checks the largest stacked discount of any line against the limit (5 % under 8 % is 12.6 %)', () => {
    expect(discountNeedsApproval(base)).toBe(true);
    expect(discountNeedsApproval({ ...base, line_discount_bps: [0, 0] })).toBe(false);
    expect(discountNeedsApproval({ ...base, order_discount_bp: 0 })).toBe(false);
    expect(discountNeedsApproval({ ...base, line_discount_bps: [undefined, 1000], order_discount_bp: 0 })).toBe(false);
    expect(discountNeedsApproval({ ...base, line_discount_bps: [1001], order_discount_bp: 0 })).toBe(true);
  });

  it('a manager or above needs none; unknown role names count for nothing', () => {
    for (const role of ['manager', 'admin', 'owner'])
      expect(discountNeedsApproval({ ...base, roles: [role] })).toBe(false);
    expect(discountNeedsApproval({ ...base, roles: ['cashier', 'supervisor'] })).toBe(true);
    expect(discountNeedsApproval({ ...base, roles: [] })).toBe(true);
  });

  it('an approval covers up to its maximum, not a bigger discount later', () => {
    expect(discountNeedsApproval({ ...base, approved_bp: 1260 })).toBe(false);
    expect(discountNeedsApproval({ ...base, approved_bp: 1259 })).toBe(true);
    expect(discountNeedsApproval({ ...base, line_discount_bps: [1000, 500], approved_bp: 1260 })).toBe(true);
  });
});

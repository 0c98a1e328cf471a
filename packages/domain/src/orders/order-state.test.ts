import { describe, expect, it } from 'vitest';
import { canTransition, createdOrderStatus, InvalidTransition, nextOrderStatus } from './order-state.ts';

describe('creating and parking through the order state machine', () => {
  it('creates a completed order when its tenders cover it, an open one otherwise', () => {
    expect(nextOrderStatus('new', 'pay')).toBe('completed');
    expect(nextOrderStatus('new', 'park')).toBe('open');
    expect(createdOrderStatus(true)).toBe('completed');
    expect(createdOrderStatus(false)).toBe('open');
  });

  it('keeps a parked or partly paid order open; a new order cannot be voided', () => {
    expect(nextOrderStatus('open', 'park')).toBe('open');
    expect(() => nextOrderStatus('new', 'void')).toThrow(InvalidTransition);
    expect(() => nextOrderStatus('completed', 'park')).toThrow(/completed cannot be parked/);
    expect(() => nextOrderStatus('voided', 'park')).toThrow(InvalidTransition);
    expect(canTransition('new', 'void')).toBe(false);
    expect(canTransition('open', 'park')).toBe(true);
  });
});

describe('cancelling a sale in progress', () => {
  it('cancels an open order only, and a cancelled order moves no more', () => {
    expect(nextOrderStatus('open', 'cancel')).toBe('cancelled');
    expect(() => nextOrderStatus('completed', 'cancel')).toThrow(/completed cannot be cancelled/);
    expect(() => nextOrderStatus('voided', 'cancel')).toThrow(InvalidTransition);
    expect(() => nextOrderStatus('new', 'cancel')).toThrow(InvalidTransition);
    for (const event of ['park', 'pay', 'void', 'cancel'] as const) {
      expect(canTransition('cancelled', event)).toBe(false);
    }
  });
});

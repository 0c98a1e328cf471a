/**
 * The life of an order. An order is `open` while it is being rung up or is parked; tenders that cover its total
 * complete it; a manager may void it, open or completed. Refunds come with returns.
 */
export type OrderStatus = 'open' | 'completed' | 'voided';

/** What can happen to an order. */
export type OrderEvent = 'pay' | 'void';

const TRANSITIONS: Record<OrderStatus, Partial<Record<OrderEvent, OrderStatus>>> = {
  open: { pay: 'completed', void: 'voided' },
  completed: { void: 'voided' },
  voided: {},
};

/** A move the state machine does not allow; the server answers 409 `invalid_state_transition`. */
export class InvalidTransition extends Error {
  readonly code = 'invalid_state_transition';
  readonly from: OrderStatus;
  readonly event: OrderEvent;
  constructor(from: OrderStatus, event: OrderEvent) {
    super(`An order that is ${from} cannot be ${event === 'pay' ? 'paid' : 'voided'}`);
    this.name = 'InvalidTransition';
    this.from = from;
    this.event = event;
  }
}

/** The status after `event`, or an InvalidTransition naming the current status. */
export function nextOrderStatus(from: OrderStatus, event: OrderEvent): OrderStatus {
  const to = TRANSITIONS[from][event];
  if (to === undefined) throw new InvalidTransition(from, event);
  return to;
}

/** True when `event` may happen to an order in status `from`. */
export function canTransition(from: OrderStatus, event: OrderEvent): boolean {
  return TRANSITIONS[from][event] !== undefined;
}

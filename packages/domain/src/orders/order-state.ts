/**
 * The life of an order. An order is `open` while it is being rung up or is parked; tenders that cover its total
 * complete it; a manager may void it, open or completed; the till may cancel an open one, giving back what its
 * tenders took (cash handed back, cards voided or refunded). Refunds of completed sales come with returns.
 */
export type OrderStatus = 'open' | 'completed' | 'voided' | 'cancelled';

/** An order's state for the state machine: `new` before it is saved, then its status. */
export type OrderState = 'new' | OrderStatus;

/**
 * What can happen to an order:
 * - `park`: saved without tenders that cover it (a parked sale, or one a declined card left partly paid); it
 *   creates an open order, or keeps an open one open;
 * - `pay`: tenders cover what is due; it creates a completed order, or completes an open one;
 * - `void`: a manager voids it;
 * - `cancel`: the sale in progress is abandoned at the till (an open order only: a completed sale is voided or
 *   returned, never cancelled); what its tenders took is given back.
 */
export type OrderEvent = 'park' | 'pay' | 'void' | 'cancel';

const TRANSITIONS: Record<OrderState, Partial<Record<OrderEvent, OrderStatus>>> = {
  new: { park: 'open', pay: 'completed' },
  open: { park: 'open', pay: 'completed', void: 'voided', cancel: 'cancelled' },
  completed: { void: 'voided' },
  voided: {},
  cancelled: {},
};

const PAST: Record<OrderEvent, string> = { park: 'parked', pay: 'paid', void: 'voided', cancel: 'cancelled' };

/** A move the state machine does not allow; the server answers 409 `invalid_state_transition`. */
export class InvalidTransition extends Error {
  readonly code = 'invalid_state_transition';
  readonly from: OrderState;
  readonly event: OrderEvent;
  constructor(from: OrderState, event: OrderEvent) {
    super(`An order that is ${from} cannot be ${PAST[event]}`);
    this.name = 'InvalidTransition';
    this.from = from;
    this.event = event;
  }
}

/** The status after `event`, or an InvalidTransition naming the current state. */
export function nextOrderStatus(from: OrderState, event: OrderEvent): OrderStatus {
  const to = TRANSITIONS[from][event];
  if (to === undefined) throw new InvalidTransition(from, event);
  return to;
}

/** True when `event` may happen to an order in state `from`. */
export function canTransition(from: OrderState, event: OrderEvent): boolean {
  return TRANSITIONS[from][event] !== undefined;
}

/**
 * The status a new order is created in: `completed` when its tenders cover it, else `open` (parked, or partly
 * paid). Creating goes through the machine like every other move.
 */
export function createdOrderStatus(paid: boolean): OrderStatus {
  return nextOrderStatus('new', paid ? 'pay' : 'park');
}

import {
  InvalidTransition,
  nextOrderStatus,
  type OrderEvent,
  type OrderState,
  type OrderStatus,
} from '@novapos/domain';
import { AppError } from '../../platform/errors.ts';

/**
 * The status an order moves to on `event`, by the domain's order state machine — the only way an order changes
 * state (creating, parking, paying, voiding). A move it refuses is 409 `invalid_state_transition` with the
 * current status.
 */
export function transition(from: OrderState, event: OrderEvent): OrderStatus {
  try {
    return nextOrderStatus(from, event);
  } catch (err) {
    if (err instanceof InvalidTransition) {
      throw new AppError('invalid_state_transition', err.message, { extra: { current_status: from } });
    }
    throw err;
  }
}

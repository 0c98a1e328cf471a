/**
 * The life of a card payment intent (C4 in docs/sources.md): `created → authorized → captured → partially_refunded →
 * refunded`, and `authorized → voided`. With automatic capture, confirming authorizes and captures in one call;
 * the machine still passes through `authorized`. The amounts travel with the state so that the two money laws
 * are checked here, once: a capture never exceeds the authorization, and refunds never add up to more than the
 * capture.
 */
export type IntentState = 'created' | 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'voided';

/** What can happen to an intent. `amountCents` is the amount of a capture or a refund. */
export type IntentEvent =
  | { readonly type: 'confirm'; readonly authorizedCents: number }
  | { readonly type: 'capture'; readonly amountCents: number }
  | { readonly type: 'void' }
  | { readonly type: 'refund'; readonly amountCents: number };

/** The money an intent holds: what was authorized, captured and refunded so far. */
export interface IntentAmounts {
  readonly authorizedCents: number;
  readonly capturedCents: number;
  readonly refundedCents: number;
}

/** The state and the amounts after a move. */
export interface IntentMove extends IntentAmounts {
  readonly state: IntentState;
}

/** Codes the server maps to its problems (409 and 422). */
export type IntentErrorCode = 'invalid_state_transition' | 'capture_exceeds_authorized' | 'refund_exceeds_captured';

/** A move the intent does not allow: a wrong state (409) or an amount beyond what the intent holds (422). */
export class IntentTransitionError extends Error {
  readonly code: IntentErrorCode;
  readonly from: IntentState;
  readonly event: IntentEvent['type'];
  constructor(code: IntentErrorCode, from: IntentState, event: IntentEvent['type'], message: string) {
    super(message);
    this.name = 'IntentTransitionError';
    this.code = code;
    this.from = from;
    this.event = event;
  }
}

const ALLOWED: Record<IntentEvent['type'], readonly IntentState[]> = {
  confirm: ['created'],
  capture: ['authorized'],
  void: ['authorized'],
  refund: ['captured', 'partially_refunded'],
};

function positiveCents(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${what} must be a positive whole number`);
}

/**
 * The state and amounts after `event`, or an IntentTransitionError: `invalid_state_transition` naming the current
 * state, `capture_exceeds_authorized`, or `refund_exceeds_captured`.
 */
export function nextIntentState(state: IntentState, event: IntentEvent, amounts: IntentAmounts): IntentMove {
  if (!ALLOWED[event.type].includes(state)) {
    throw new IntentTransitionError(
      'invalid_state_transition',
      state,
      event.type,
      `A payment intent that is ${state} cannot be ${PAST[event.type]}`,
    );
  }
  switch (event.type) {
    case 'confirm':
      positiveCents(event.authorizedCents, 'authorizedCents');
      return { ...amounts, state: 'authorized', authorizedCents: event.authorizedCents };
    case 'capture':
      positiveCents(event.amountCents, 'amountCents');
      if (event.amountCents > amounts.authorizedCents) {
        throw new IntentTransitionError(
          'capture_exceeds_authorized',
          state,
          'capture',
          `Capture of ${event.amountCents} exceeds the ${amounts.authorizedCents} authorized`,
        );
      }
      return { ...amounts, state: 'captured', capturedCents: event.amountCents };
    case 'void':
      return { ...amounts, state: 'voided' };
    case 'refund': {
      positiveCents(event.amountCents, 'amountCents');
      const refunded = amounts.refundedCents + event.amountCents;
      if (refunded > amounts.capturedCents) {
        throw new IntentTransitionError(
          'refund_exceeds_captured',
          state,
          'refund',
          `Refund of ${event.amountCents} exceeds the ${amounts.capturedCents - amounts.refundedCents} left to refund`,
        );
      }
      return {
        ...amounts,
        state: refunded === amounts.capturedCents ? 'refunded' : 'partially_refunded',
        refundedCents: refunded,
      };
    }
  }
}

const PAST: Record<IntentEvent['type'], string> = {
  confirm: 'confirmed',
  capture: 'captured',
  void: 'voided',
  refund: 'refunded',
};

/** What is left to refund on an intent. */
export function refundableCents(amounts: IntentAmounts): number {
  return amounts.capturedCents - amounts.refundedCents;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntentTransitionError, nextIntentState, type IntentMove, type IntentState } from './payment-intent.ts';

const ZERO = { authorizedCents: 0, capturedCents: 0, refundedCents: 0 };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof IntentTransitionError) return err.code;
    throw err;
  }
  return undefined;
}

describe('nextIntentState', () => {
  it('authorizes, captures part, refunds in two steps', () => {
    const a = nextIntentState('created', { type: 'confirm', authorizedCents: 1000 }, ZERO);
    expect(a).toEqual({ state: 'authorized', authorizedCents: 1000, capturedCents: 0, refundedCents: 0 });
    const c = nextIntentState(a.state, { type: 'capture', amountCents: 800 }, a);
    expect(c.state).toBe('captured');
    const r1 = nextIntentState(c.state, { type: 'refund', amountCents: 300 }, c);
    expect(r1).toMatchObject({ state: 'partially_refunded', refundedCents: 300 });
    const r2 = nextIntentState(r1.state, { type: 'refund', amountCents: 500 }, r1);
    expect(r2).toMatchObject({ state: 'refunded', refundedCents: 800 });
  });

  it('voids an authorization, and nothing moves after', () => {
    const a = nextIntentState('created', { type: 'confirm', authorizedCents: 500 }, ZERO);
    const v = nextIntentState(a.state, { type: 'void' }, a);
    expect(v.state).toBe('voided');
    for (const event of [
      { type: 'refund', amountCents: 1 },
      { type: 'capture', amountCents: 1 },
      { type: 'void' },
    ] as const) {
      expect(codeOf(() => nextIntentState('voided', event, v))).toBe('invalid_state_transition');
    }
  });

  it('names the current state of a refused move', () => {
    try {
      nextIntentState('captured', { type: 'void' }, ZERO);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(IntentTransitionError);
      expect((err as IntentTransitionError).from).toBe('captured');
    }
  });

  it('refuses a capture beyond the authorization and a refund beyond the capture', () => {
    const a = { authorizedCents: 1000, capturedCents: 0, refundedCents: 0 };
    expect(codeOf(() => nextIntentState('authorized', { type: 'capture', amountCents: 1001 }, a))).toBe(
      'capture_exceeds_authorized',
    );
    const c = { authorizedCents: 1000, capturedCents: 700, refundedCents: 600 };
    expect(codeOf(() => nextIntentState('partially_refunded', { type: 'refund', amountCents: 101 }, c))).toBe(
      'refund_exceeds_captured',
    );
  });

  it('refuses amounts that are not positive whole numbers', () => {
    const a = { authorizedCents: 1000, capturedCents: 0, refundedCents: 0 };
    expect(() => nextIntentState('authorized', { type: 'capture', amountCents: 0 }, a)).toThrow(RangeError);
    expect(() => nextIntentState('authorized', { type: 'capture', amountCents: 1.5 }, a)).toThrow(RangeError);
  });

  it('never refunds more than was captured, whatever the sequence of refunds (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 400_000 }), { maxLength: 20 }),
        (authorized, captureWish, refunds) => {
          let m: IntentMove = nextIntentState('created', { type: 'confirm', authorizedCents: authorized }, ZERO);
          m = nextIntentState(m.state, { type: 'capture', amountCents: Math.min(captureWish, authorized) }, m);
          for (const amount of refunds) {
            const before: IntentState = m.state;
            try {
              m = nextIntentState(m.state, { type: 'refund', amountCents: amount }, m);
            } catch (err) {
              const code = (err as IntentTransitionError).code;
              expect(
                code === 'refund_exceeds_captured' || (code === 'invalid_state_transition' && before === 'refunded'),
              ).toBe(true);
            }
            expect(m.refundedCents).toBeLessThanOrEqual(m.capturedCents);
            expect(m.state === 'refunded').toBe(m.refundedCents === m.capturedCents);
          }
        },
      ),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canTransition, InvalidTransition, nextOrderStatus } from './order-state.ts';
import { settleTenders, TenderError } from './tenders.ts';

describe('order states', () => {
  it('goes open → completed → voided, and open → voided', () => {
    expect(nextOrderStatus('open', 'pay')).toBe('completed');
    expect(nextOrderStatus('completed', 'void')).toBe('voided');
    expect(nextOrderStatus('open', 'void')).toBe('voided');
  });

  it('refuses every other move and names the current status', () => {
    expect(() => nextOrderStatus('voided', 'void')).toThrow(InvalidTransition);
    expect(() => nextOrderStatus('completed', 'pay')).toThrow(/completed cannot be paid/);
    try {
      nextOrderStatus('voided', 'pay');
    } catch (err) {
      expect(err).toMatchObject({ code: 'invalid_state_transition', from: 'voided', event: 'pay' });
    }
    expect(canTransition('voided', 'void')).toBe(false);
  });
});

describe('settling tenders', () => {
  it('gives change from cash: 521 due, 1000 in cash → 479 back (the seed demo)', () => {
    const s = settleTenders(521, [{ method: 'cash', amount_cents: 1000 }]);
    expect(s).toMatchObject({ paid_cents: 521, change_cents: 479, remaining_cents: 0, settled: true });
  });

  it('settles a processor card like a terminal card: exact, never over-tendered, no change', () => {
    const s = settleTenders(521, [
      { method: 'card', amount_cents: 300 },
      { method: 'cash', amount_cents: 500 },
    ]);
    expect(s.tenders.map((t) => [t.method, t.applied_cents, t.change_cents])).toEqual([
      ['card', 300, 0],
      ['cash', 221, 279],
    ]);
    const twoCards = settleTenders(521, [
      { method: 'card', amount_cents: 500 },
      { method: 'card', amount_cents: 21 },
    ]);
    expect(twoCards).toMatchObject({ settled: true, paid_cents: 521, change_cents: 0 });
    expect(() => settleTenders(521, [{ method: 'card', amount_cents: 522 }])).toThrow(TenderError);
  });

  it('splits card and cash: the card pays its part, cash the rest with change', () => {
    const s = settleTenders(521, [
      { method: 'external_card', amount_cents: 300, reference: 'T-1' },
      { method: 'cash', amount_cents: 500 },
    ]);
    expect(s.tenders.map((t) => [t.method, t.applied_cents, t.change_cents])).toEqual([
      ['external_card', 300, 0],
      ['cash', 221, 279],
    ]);
    expect(s).toMatchObject({ settled: true, change_cents: 279 });
  });

  it('never over-tenders a card: change only comes from cash', () => {
    expect(() => settleTenders(521, [{ method: 'external_card', amount_cents: 600 }])).toThrow(TenderError);
  });

  it('leaves the order open when the tenders do not cover it', () => {
    const s = settleTenders(521, [{ method: 'cash', amount_cents: 500 }]);
    expect(s).toMatchObject({ paid_cents: 500, remaining_cents: 21, settled: false, change_cents: 0 });
  });

  it('continues a parked order from what was already paid, and refuses a tender when nothing is due', () => {
    expect(settleTenders(521, [{ method: 'cash', amount_cents: 100 }], { alreadyPaid: 500 })).toMatchObject({
      paid_cents: 21,
      change_cents: 79,
      settled: true,
    });
    expect(() => settleTenders(521, [{ method: 'cash', amount_cents: 1 }], { alreadyPaid: 521 })).toThrow(
      /nothing is left/,
    );
  });

  it('rounds only the cash part to the smallest coin', () => {
    const s = settleTenders(523, [{ method: 'cash', amount_cents: 1000 }], { cashRoundingCents: 5 });
    expect(s).toMatchObject({ paid_cents: 525, change_cents: 475, cash_rounding_cents: 2, settled: true });
    const card = settleTenders(523, [{ method: 'external_card', amount_cents: 523 }], { cashRoundingCents: 5 });
    expect(card).toMatchObject({ paid_cents: 523, cash_rounding_cents: 0, settled: true });
  });

  it('takes exactly the cash due when the rest rounds down, and not a cent less', () => {
    const exact = settleTenders(51, [{ method: 'cash', amount_cents: 50 }], { cashRoundingCents: 50 });
    expect(exact).toMatchObject({ paid_cents: 50, change_cents: 0, cash_rounding_cents: -1, settled: true });
    const afterCard = settleTenders(
      1051,
      [
        { method: 'external_card', amount_cents: 1000 },
        { method: 'cash', amount_cents: 50 },
      ],
      { cashRoundingCents: 50 },
    );
    expect(afterCard).toMatchObject({ paid_cents: 1050, remaining_cents: 0, settled: true });
    const short = settleTenders(51, [{ method: 'cash', amount_cents: 49 }], { cashRoundingCents: 50 });
    expect(short).toMatchObject({ paid_cents: 49, remaining_cents: 2, cash_rounding_cents: 0, settled: false });
    const roundsUp = settleTenders(53, [{ method: 'cash', amount_cents: 53 }], { cashRoundingCents: 5 });
    expect(roundsUp).toMatchObject({ paid_cents: 53, remaining_cents: 2, settled: false });
  });

  it('refuses amounts that are not positive whole numbers', () => {
    expect(() => settleTenders(100, [{ method: 'cash', amount_cents: 0 }])).toThrow(TenderError);
    expect(() => settleTenders(100, [{ method: 'cash', amount_cents: 1.5 }])).toThrow(TenderError);
  });

  it('always pays exactly what was due once settled, and change never comes from a card', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(
          fc.record({
            method: fc.constantFrom('cash' as const, 'external_card' as const),
            amount_cents: fc.integer({ min: 1, max: 2_000_000 }),
          }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        (due, tenders) => {
          let s;
          try {
            s = settleTenders(due, tenders);
          } catch (err) {
            expect(err).toBeInstanceOf(TenderError);
            return;
          }
          if (s.settled) expect(s.paid_cents).toBe(due);
          else expect(s.paid_cents + s.remaining_cents).toBe(due);
          for (const t of s.tenders) {
            if (t.method !== 'cash') expect(t.change_cents).toBe(0);
            expect(t.applied_cents + t.change_cents).toBe(t.tendered_cents);
          }
        },
      ),
    );
  });
});

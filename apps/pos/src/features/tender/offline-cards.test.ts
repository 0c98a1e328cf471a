import { expect, test } from 'vitest';
import { externalCardVerdict } from './offline-cards.ts';

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
const policy = { mode: 'external_terminal' as const, max_sale_cents: 5000, max_outage_cents: 20_000 };

test('refused by the shop: no card while offline, and the screen says why', () => {
  const verdict = externalCardVerdict({
    policy: { ...policy, mode: 'refuse' },
    saleCardCents: 0,
    outageCardCents: 0,
    amountCents: 100,
    money,
  });
  expect(verdict).toEqual({ allowed: false, reason: expect.stringContaining('no cards while the till is offline') });
});

test('on another terminal: within the per-sale cap and the outage cap', () => {
  const at = (amountCents: number, saleCardCents = 0, outageCardCents = 0) =>
    externalCardVerdict({ policy, saleCardCents, outageCardCents, amountCents, money });
  expect(at(5000)).toEqual({ allowed: true });
  expect(at(5001)).toMatchObject({ allowed: false, reason: expect.stringContaining('at most $50.00 of a sale') });
  expect(at(3000, 2500)).toMatchObject({ allowed: false });
  expect(at(5000, 0, 15_000)).toEqual({ allowed: true });
  expect(at(5000, 0, 15_001)).toMatchObject({
    allowed: false,
    reason: expect.stringContaining('The limit of $200.00 of card sales while offline is reached ($150.01 taken)'),
  });
});

import { describe, expect, test } from 'vitest';
import { SODA, WATER } from '../../test-fixtures.ts';
import { newCart, setQuantity, type Cart } from './cart.ts';
import { reviseCart, saleKey } from './sale-identity.ts';

const approval = { token: 'jwt', manager_name: 'Maria', max_discount_bp: 2500 };
const cart: Cart = { ...newCart(), lines: [SODA, WATER], discount_bp: 2000, approval, note: 'gift' };
const taken = { total_cents: 400, paid_cents: 200, tenders: [{ method: 'cash' as const, applied_cents: 200 }] };

describe('a sale id never carries two different sales (issue 13 §1.1)', () => {
  test('removing every line starts afresh: new id, no discount, approval, note or history', () => {
    const sent = { ...cart, sent: 'unanswered' as const, attempt: 2 };
    const empty = reviseCart(sent, setQuantity(setQuantity(sent, 1, 0), 0, 0));
    expect(empty.id).not.toBe(cart.id);
    expect(empty).toEqual({ id: empty.id, lines: [], discount_bp: 0, note: '' });
  });

  test('a cart never sent keeps its id through edits', () => {
    expect(reviseCart(cart, setQuantity(cart, 0, 3)).id).toBe(cart.id);
  });

  test('a cart sent without an answer gets a new id (and loses the approval naming the old one) when it changes', () => {
    const sent = { ...cart, sent: 'unanswered' as const };
    const edited = reviseCart(sent, setQuantity(sent, 0, 3));
    expect(edited.id).not.toBe(cart.id);
    expect(edited).toMatchObject({ discount_bp: 2000, note: 'gift', lines: [{ quantity: 3 }, { quantity: 1 }] });
    expect(edited.approval).toBeUndefined();
    expect(edited.sent).toBeUndefined();
    // The same body (a line repriced by the catalog feed) is the same sale: the id stays.
    const repriced = { ...sent, lines: [{ ...SODA, unit_price_cents: 250 }, WATER] };
    expect(reviseCart(sent, repriced).id).toBe(cart.id);
  });

  test('a cart the server refused keeps its id (nothing was saved); its next request has a new key', () => {
    const refused = { ...cart, attempt: 1 };
    const edited = reviseCart(refused, { ...refused, note: 'other' });
    expect(edited.id).toBe(cart.id);
    expect(saleKey(edited)).toBe(`${cart.id}.1`);
    expect(saleKey(cart)).toBe(cart.id);
  });

  test('a cart whose tenders the server holds cannot change; one with an empty open order gets a new id', () => {
    const paying = { ...cart, taken, attempt: 1 };
    expect(reviseCart(paying, setQuantity(paying, 0, 5))).toBe(paying);
    expect(reviseCart(paying, setQuantity(setQuantity(paying, 1, 0), 0, 0))).toBe(paying);
    const nothingPaid = { ...cart, taken: { ...taken, paid_cents: 0, tenders: [] }, attempt: 1 };
    const edited = reviseCart(nothingPaid, setQuantity(nothingPaid, 0, 5));
    expect(edited.id).not.toBe(cart.id);
    expect(edited.taken).toBeUndefined();
    expect(edited.attempt).toBeUndefined();
  });

  test('another sale (a new cart, a resumed one) is taken as it is', () => {
    const other = { ...newCart(), lines: [WATER] };
    expect(reviseCart({ ...cart, taken }, other)).toBe(other);
  });
});

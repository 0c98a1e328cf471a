// The till's IndexedDB in memory; the server is played by a stand-in for fetch.
import 'fake-indexeddb/auto';
import { ApiError } from '@novapos/api-client';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { cartStore } from '../data/cart-store.ts';
import { getMeta, setMeta, tillDb } from '../data/db.ts';
import { enqueueSale } from '../data/queue.ts';
import { newCart, type Cart } from '../features/sale/cart.ts';
import { SODA, TILL_CONTEXT } from '../test-fixtures.ts';
import { setOnline } from './connection.ts';
import { payCart, restoreSale } from './sale-completion.ts';

vi.mock('../api/orders.ts', () => ({
  createOrder: vi.fn(),
  getOrder: vi.fn(),
  payOrder: vi.fn(),
  cancelOrder: vi.fn(),
}));
const api = await import('../api/orders.ts');

function order(
  id: string,
  status: 'open' | 'completed',
  paid: number,
  tenders: { method: 'cash' | 'card'; applied_cents: number }[],
) {
  return {
    id,
    number: status === 'completed' ? 1 : null,
    status,
    total_cents: 215,
    paid_cents: paid,
    change_cents: 0,
    currency: 'USD',
    items: [],
    tenders: tenders.map((t, i) => ({
      id: `t${i}`,
      tendered_cents: t.applied_cents,
      change_cents: 0,
      reference: null,
      payment_intent_id: null,
      card_brand: t.method === 'card' ? 'visa' : null,
      card_last4: t.method === 'card' ? '4242' : null,
      reversal: null,
      reversed_at: null,
      created_at: new Date().toISOString(),
      ...t,
    })),
    subtotal_cents: 199,
    discount_percent_bp: 0,
    discount_cents: 0,
    item_discount_cents: 0,
    order_discount_cents: 0,
    tax_rate_bps: 800,
    tax_rate_source: 'default',
    tax_cents: 16,
    prices_include_tax: false,
    cash_rounding_cents: 0,
    note: null,
    location_id: TILL_CONTEXT.location_id,
    register_id: TILL_CONTEXT.register_id,
    created_at: new Date().toISOString(),
    completed_at: status === 'completed' ? new Date().toISOString() : null,
    voided_at: null,
    void_reason: null,
    cancelled_at: null,
    cancel_reason: null,
  } as unknown as Awaited<ReturnType<typeof api.getOrder>>;
}

beforeEach(async () => {
  const db = await tillDb();
  await db.clear('meta');
  await db.clear('queue');
  await cartStore.replace(newCart());
  setOnline(true);
  vi.mocked(api.createOrder).mockReset();
  vi.mocked(api.getOrder).mockReset();
  vi.mocked(api.payOrder).mockReset();
});
afterEach(() => {
  vi.clearAllMocks();
});

test('a completed sale leaves the device in the same step: the next cart is empty and the receipt is kept', async () => {
  const sale: Cart = { ...newCart(), lines: [SODA] };
  await cartStore.replace(sale);
  vi.mocked(api.createOrder).mockImplementation((body) =>
    Promise.resolve(order(body.id ?? '', 'completed', 215, [{ method: 'cash', applied_cents: 215 }])),
  );
  const result = await payCart([{ method: 'cash', amount_cents: 215 }], TILL_CONTEXT, () => undefined);
  expect(result).toMatchObject({ kind: 'done', shown: { saleId: sale.id, queued: false } });
  const saved = await getMeta('cart');
  expect(saved?.lines).toEqual([]);
  expect(saved?.id).not.toBe(sale.id);
  expect((await getMeta('receipt'))?.saleId).toBe(sale.id);
});

test('at start, a saved cart that is the sale on the receipt, or one in the queue, is never the cart again', async () => {
  const sold: Cart = { ...newCart(), lines: [SODA] };
  await setMeta('cart', sold);
  await setMeta('receipt', { receipt: {} as never, saleId: sold.id, orderId: sold.id, queued: false });
  expect((await restoreSale())?.saleId).toBe(sold.id);
  expect(cartStore.get().lines).toEqual([]);
  expect((await getMeta('cart'))?.id).not.toBe(sold.id);

  const queued: Cart = { ...newCart(), lines: [SODA] };
  await (await tillDb()).delete('meta', 'receipt');
  await setMeta('cart', queued);
  await enqueueSale({ id: queued.id, register_id: TILL_CONTEXT.register_id, items: [] });
  await restoreSale();
  expect(cartStore.get().id).not.toBe(queued.id);

  const open: Cart = { ...newCart(), lines: [SODA] };
  await setMeta('cart', open);
  await restoreSale();
  expect(cartStore.get()).toEqual(open);
});

test('a declined card keeps the cash taken: the rest is paid on the same order with a new key', async () => {
  const sale: Cart = { ...newCart(), lines: [SODA] };
  await cartStore.replace(sale);
  vi.mocked(api.createOrder).mockRejectedValue(
    new ApiError({ code: 'payment_declined', status: 402, body: { order_id: sale.id, reason: 'card_declined' } }),
  );
  vi.mocked(api.getOrder).mockResolvedValue(order(sale.id, 'open', 100, [{ method: 'cash', applied_cents: 100 }]));
  const declined = await payCart(
    [
      { method: 'cash', amount_cents: 100 },
      { method: 'card', amount_cents: 115, card_token: 'tok_declined' },
    ],
    TILL_CONTEXT,
    () => undefined,
  );
  expect(declined.kind).toBe('failed');
  expect(cartStore.get()).toMatchObject({
    id: sale.id,
    attempt: 1,
    taken: { total_cents: 215, paid_cents: 100, tenders: [{ method: 'cash', applied_cents: 100 }] },
  });
  expect(cartStore.get().sent).toBeUndefined();

  vi.mocked(api.payOrder).mockResolvedValue(
    order(sale.id, 'completed', 215, [
      { method: 'cash', applied_cents: 100 },
      { method: 'card', applied_cents: 115 },
    ]),
  );
  const paid = await payCart(
    [{ method: 'card', amount_cents: 115, card_token: 'tok_visa' }],
    TILL_CONTEXT,
    () => undefined,
  );
  expect(paid.kind).toBe('done');
  expect(api.payOrder).toHaveBeenCalledWith(
    sale.id,
    [{ method: 'card', amount_cents: 115, card_token: 'tok_visa' }],
    `${sale.id}.1`,
  );
  expect(api.createOrder).toHaveBeenCalledTimes(1);
  expect(cartStore.get().lines).toEqual([]);
});

test('a card sale whose answer was lost asks the server first: a completed order ends the sale, nothing is charged again', async () => {
  const sale: Cart = { ...newCart(), lines: [SODA] };
  await cartStore.replace(sale);
  vi.mocked(api.createOrder).mockRejectedValue(new ApiError({ code: 'network_error', status: 0 }));
  const lost = await payCart(
    [{ method: 'card', amount_cents: 215, card_token: 'tok_visa' }],
    TILL_CONTEXT,
    () => undefined,
  );
  expect(lost.kind).toBe('failed');
  expect(cartStore.get()).toMatchObject({ id: sale.id, sent: 'unanswered' });
  expect((await getMeta('cart'))?.sent).toBe('unanswered');

  vi.mocked(api.getOrder).mockResolvedValue(order(sale.id, 'completed', 215, [{ method: 'card', applied_cents: 215 }]));
  const again = await payCart(
    [{ method: 'card', amount_cents: 215, card_token: 'tok_visa' }],
    TILL_CONTEXT,
    () => undefined,
  );
  expect(again).toMatchObject({ kind: 'done', shown: { saleId: sale.id, orderId: sale.id } });
  expect(api.createOrder).toHaveBeenCalledTimes(1);
});

test('a refusal frees the id with a new key: the changed sale is not idempotency_key_reused', async () => {
  const sale: Cart = { ...newCart(), lines: [SODA] };
  await cartStore.replace(sale);
  vi.mocked(api.createOrder).mockRejectedValueOnce(new ApiError({ code: 'insufficient_tender', status: 422 }));
  await payCart([{ method: 'cash', amount_cents: 200 }], TILL_CONTEXT, () => undefined);
  expect(cartStore.get()).toMatchObject({ id: sale.id, attempt: 1 });
  vi.mocked(api.createOrder).mockImplementation((body) => Promise.resolve(order(body.id ?? '', 'completed', 215, [])));
  await payCart([{ method: 'cash', amount_cents: 300 }], TILL_CONTEXT, () => undefined);
  expect(vi.mocked(api.createOrder).mock.calls.map((c) => c[1])).toEqual([sale.id, `${sale.id}.1`]);
});

test('an unanswered sale whose order was cancelled meanwhile goes on under a new id', async () => {
  const sale: Cart = { ...newCart(), lines: [SODA], sent: 'unanswered' };
  await cartStore.replace(sale);
  vi.mocked(api.getOrder).mockResolvedValue({
    ...order(sale.id, 'open', 0, []),
    status: 'cancelled',
  });
  vi.mocked(api.createOrder).mockImplementation((body) =>
    Promise.resolve(order(body.id ?? '', 'completed', 215, [{ method: 'cash', applied_cents: 215 }])),
  );
  const result = await payCart([{ method: 'cash', amount_cents: 215 }], TILL_CONTEXT, () => undefined);
  expect(result.kind).toBe('done');
  const sentId = vi.mocked(api.createOrder).mock.calls[0]?.[0].id;
  expect(sentId).not.toBe(sale.id);
  expect(vi.mocked(api.createOrder).mock.calls[0]?.[1]).toBe(sentId);
});

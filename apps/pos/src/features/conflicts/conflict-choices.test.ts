import type { ReplayChange } from '@novapos/domain';
import { describe, expect, test } from 'vitest';
import type { OrderBody } from '../../api/types.ts';
import type { QueuedSale } from '../../data/db.ts';
import { TILL_CONTEXT } from '../../test-fixtures.ts';
import { conflictChoices, needsManager, settleDifference, takenByMethod } from './conflict-choices.ts';

const V = '00000000-0000-7000-8000-000000000001';
const line = { position: 0, variant_id: V, sku: 'TEE', name: 'T-shirt' };
const offline = { device_id: V, seq: 1, created_at: '2026-12-05T10:00:00.000Z', signature: 'x'.repeat(86) };

function refused(
  changes: ReplayChange[] | undefined,
  code = 'replay_conflict',
  tenders: OrderBody['tenders'] = [{ method: 'cash', amount_cents: 10_800 }],
): QueuedSale {
  return {
    seq: 1,
    id: V,
    queued_at: offline.created_at,
    body: {
      register_id: TILL_CONTEXT.register_id,
      items: [{ variant_id: V, quantity: 8 }],
      tenders,
      price_lock: { lines: [{ variant_id: V, unit_price_cents: 1350 }], tax_rate_bps: 0, total_cents: 10_800 },
      offline,
    },
    error: {
      code,
      message: 'refused',
      ...(changes === undefined ? {} : { diff: { version: 1, changes } }),
    },
  };
}

const short: ReplayChange = { kind: 'stock_short', ...line, location_id: V, wanted: 8, available: 5 };
const price: ReplayChange = {
  kind: 'price_changed',
  ...line,
  till_unit_price_cents: 1350,
  current_unit_price_cents: 1400,
};
const total: ReplayChange = { kind: 'total_changed', till_total_cents: 10_800, current_total_cents: 11_200 };

describe('the choices a refused sale offers', () => {
  test('short of stock only: sell beyond stock (a manager) or cancel; no price resolution', () => {
    const sale = refused([short]);
    expect(conflictChoices(sale)).toEqual(['sell_beyond_stock', 'cancel']);
    expect(needsManager('sell_beyond_stock', sale.error?.diff)).toBe(true);
  });

  test('a price change: accept (the cashier alone) or keep (a manager); with stock short too, both need a manager', () => {
    expect(conflictChoices(refused([price, total]))).toEqual(['accept_server_prices', 'keep_till_prices', 'cancel']);
    expect(needsManager('accept_server_prices', { version: 1, changes: [price, total] })).toBe(false);
    const both = refused([price, short, total]);
    expect(conflictChoices(both)).toEqual(['accept_server_prices', 'keep_till_prices', 'cancel']);
    expect(needsManager('accept_server_prices', both.error?.diff)).toBe(true);
  });

  test('an archived product or a closed register: only cancel', () => {
    expect(conflictChoices(refused([{ kind: 'product_archived', ...line }]))).toEqual(['cancel']);
    expect(conflictChoices(refused([{ kind: 'register_closed', register_id: V }]))).toEqual(['cancel']);
  });

  test('a discount over the limit: only keeping the till’s prices settles it', () => {
    expect(conflictChoices(refused([{ kind: 'discount_over_limit', discount_bp: 2000, limit_bp: 1000 }]))).toEqual([
      'keep_till_prices',
      'cancel',
    ]);
  });

  test('a refusal the server cannot tie to this till offers no cancellation; other codes do', () => {
    expect(conflictChoices(refused(undefined, 'offline_signature_invalid'))).toEqual([]);
    expect(conflictChoices(refused(undefined, 'device_not_found'))).toEqual([]);
    expect(conflictChoices(refused(undefined, 'register_not_found'))).toEqual(['cancel']);
  });
});

test('accepting the server’s prices collects the difference, or hands it back', () => {
  expect(settleDifference(refused([price, total]))).toBe(400);
  expect(settleDifference(refused([{ ...total, current_total_cents: 10_000 }]))).toBe(-800);
  expect(settleDifference(refused([short]))).toBe(0);
});

test('a cancellation refunds what was taken, cash net of the change given', () => {
  const sale = refused([short], 'replay_conflict', [
    { method: 'external_card', amount_cents: 800, reference: 'T1' },
    { method: 'cash', amount_cents: 20_000 },
  ]);
  expect(takenByMethod(sale, TILL_CONTEXT)).toEqual({ cash: 10_000, external_card: 800 });
});

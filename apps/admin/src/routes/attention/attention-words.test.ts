import { describe, expect, it } from 'vitest';
import type { RefusedSale } from '../../api/attention.ts';
import { diffWords, gapWords, refusalWords } from './attention-words.ts';

const SALE: RefusedSale = {
  order_id: '00000000-0000-7000-8000-000000000001',
  register_id: '00000000-0000-7000-8000-000000000002',
  register_name: 'Till 1',
  device_id: '00000000-0000-7000-8000-000000000003',
  device_label: 'Front tablet',
  seq: 4,
  code: 'replay_conflict',
  total_cents: 800,
  created_offline_at: '2026-12-05T08:00:00.000Z',
  refused_at: '2026-12-05T09:00:00.000Z',
  diff: {
    version: 1,
    changes: [
      {
        kind: 'price_changed',
        position: 0,
        variant_id: '00000000-0000-7000-8000-000000000004',
        sku: 'TEE',
        name: 'T-shirt',
        till_unit_price_cents: 400,
        current_unit_price_cents: 450,
      },
      { kind: 'total_changed', till_total_cents: 800, current_total_cents: 900 },
    ],
  },
};

describe('sales needing attention, in words', () => {
  it('says each change of the diff with amounts in the currency', () => {
    expect(diffWords(SALE, 'USD')).toEqual([
      'T-shirt (TEE): the till charged $4.00, the price is now $4.50',
      'Total: the till charged $8.00, it is now $9.00',
    ]);
    expect(diffWords({ ...SALE, diff: null }, 'USD')).toEqual([]);
  });

  it('names a refusal and a gap', () => {
    expect(refusalWords('replay_conflict')).toBe('Differs from what the shop holds now');
    expect(refusalWords('something_new')).toBe('Refused (something_new)');
    expect(gapWords(7, 7)).toBe('Sale 7');
    expect(gapWords(3, 5)).toBe('Sales 3–5');
  });
});

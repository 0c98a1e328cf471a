import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.ts';
import {
  describeReplayChange,
  replayDiff,
  resolutionSettles,
  type ReplayDiffInput,
  type ReplayLineNow,
} from './replay-diff.ts';
import { offlineSigningPayload } from './signing.ts';

const V1 = '00000000-0000-4000-8000-000000000001';
const V2 = '00000000-0000-4000-8000-000000000002';
const REG = '00000000-0000-4000-8000-0000000000aa';
const LOC = '00000000-0000-4000-8000-0000000000bb';

const line = (
  position: number,
  variant_id: string,
  price: number,
  extra: Partial<ReplayLineNow> = {},
): ReplayLineNow => ({
  position,
  variant_id,
  sku: `SKU-${position}`,
  name: `Item ${position}`,
  quantity: 1,
  current_unit_price_cents: price,
  archived: false,
  ...extra,
});

const base: ReplayDiffInput = {
  price_lock: {
    lines: [
      { variant_id: V1, unit_price_cents: 500 },
      { variant_id: V2, unit_price_cents: 1000 },
    ],
    tax_rate_bps: 800,
    total_cents: 1620,
  },
  lines: [line(0, V1, 500), line(1, V2, 1000)],
  current_tax_rate_bps: 800,
  current_total_cents: 1620,
  register: { id: REG, archived: false },
};

describe('offlineSigningPayload', () => {
  const body = {
    id: 'a',
    register_id: REG,
    items: [{ variant_id: V1, quantity: 2 }],
    offline: { device_id: V2, seq: 3, created_at: '2026-12-05T10:00:00.000Z', signature: 'sig' },
    replay_resolution: { kind: 'accept_server_prices' },
  };

  it('leaves out the signature, the resolution and the client id, and sorts keys', () => {
    expect(offlineSigningPayload(body)).toBe(
      `{"items":[{"quantity":2,"variant_id":"${V1}"}],"offline":{"created_at":"2026-12-05T10:00:00.000Z","device_id":"${V2}","seq":3},"register_id":"${REG}"}`,
    );
  });

  it('is the same whatever the key order, and changes when the sale does', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(Object.keys(body), { minLength: 5, maxLength: 5 }), (keys) => {
        const shuffled = Object.fromEntries(keys.map((k) => [k, body[k as keyof typeof body]]));
        expect(offlineSigningPayload(shuffled)).toBe(offlineSigningPayload(body));
      }),
    );
    const altered = { ...body, items: [{ variant_id: V1, quantity: 3 }] };
    expect(offlineSigningPayload(altered)).not.toBe(offlineSigningPayload(body));
    expect(offlineSigningPayload({ ...body, offline: { ...body.offline, seq: 4 } })).not.toBe(
      offlineSigningPayload(body),
    );
    expect(offlineSigningPayload({ ...body, id: 'b', offline: { ...body.offline, signature: 'x' } })).toBe(
      offlineSigningPayload(body),
    );
  });
});

describe('replayDiff', () => {
  it('no change: an empty version 1 diff', () => {
    expect(replayDiff(base)).toEqual({ version: 1, changes: [] });
  });

  it('each kind, sale-wide first, then by line position and kind, the total last', () => {
    const diff = replayDiff({
      ...base,
      lines: [line(1, V2, 1200, { archived: true, quantity: 3 }), line(0, V1, 450)],
      current_tax_rate_bps: 900,
      current_total_cents: 4500,
      register: { id: REG, archived: true },
      discount_over_limit: { discount_bp: 1500, limit_bp: 1000 },
      stock: [
        { variant_id: V1, location_id: LOC, available: 5 },
        { variant_id: V2, location_id: LOC, available: 2 },
      ],
    });
    expect(diff.changes.map((c) => [c.kind, 'position' in c ? c.position : null])).toEqual([
      ['register_closed', null],
      ['discount_over_limit', null],
      ['tax_rate_changed', null],
      ['price_changed', 0],
      ['product_archived', 1],
      ['price_changed', 1],
      ['stock_short', 1],
      ['total_changed', null],
    ]);
    expect(diff.changes[3]).toEqual({
      kind: 'price_changed',
      position: 0,
      variant_id: V1,
      sku: 'SKU-0',
      name: 'Item 0',
      till_unit_price_cents: 500,
      current_unit_price_cents: 450,
    });
    expect(diff.changes[6]).toMatchObject({ wanted: 3, available: 2, location_id: LOC });
  });

  it('stock is wanted per variant over the whole sale, reported on its first line', () => {
    const diff = replayDiff({
      ...base,
      price_lock: undefined,
      lines: [line(0, V1, 500, { quantity: 2 }), line(1, V1, 500, { quantity: 2 })],
      stock: [{ variant_id: V1, location_id: LOC, available: 3 }],
    });
    expect(diff.changes).toEqual([
      {
        kind: 'stock_short',
        position: 0,
        variant_id: V1,
        sku: 'SKU-0',
        name: 'Item 0',
        location_id: LOC,
        wanted: 4,
        available: 3,
      },
    ]);
  });

  const arbitraryInput = fc
    .record({
      prices: fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 8 }),
      locked: fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 8, maxLength: 8 }),
      archived: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      quantities: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 8, maxLength: 8 }),
      available: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 2 }),
      tax: fc.integer({ min: 0, max: 2000 }),
      total: fc.integer({ min: 0, max: 100_000 }),
      closed: fc.boolean(),
    })
    .map(({ prices, locked, archived, quantities, available, tax, total, closed }): ReplayDiffInput => {
      const variant = (i: number) => (i % 2 === 0 ? V1 : V2);
      return {
        price_lock: {
          lines: prices.map((_, i) => ({ variant_id: variant(i), unit_price_cents: locked[i] ?? 0 })),
          tax_rate_bps: 800,
          total_cents: 5000,
        },
        lines: prices.map((price, i) =>
          line(i, variant(i), price, { archived: archived[i] ?? false, quantity: quantities[i] ?? 1 }),
        ),
        current_tax_rate_bps: tax,
        current_total_cents: total,
        register: { id: REG, archived: closed },
        stock: [
          { variant_id: V1, location_id: LOC, available: available[0] ?? 0 },
          { variant_id: V2, location_id: LOC, available: available[1] ?? 0 },
        ],
      };
    });

  it('same inputs, byte-identical output', () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const copy = JSON.parse(JSON.stringify(input)) as ReplayDiffInput;
        expect(canonicalJson(replayDiff(copy))).toBe(canonicalJson(replayDiff(input)));
        expect(JSON.stringify(replayDiff(copy))).toBe(JSON.stringify(replayDiff(input)));
      }),
    );
  });

  it('whatever order the lines and stock rows come in', () => {
    fc.assert(
      fc.property(arbitraryInput, fc.nat(), (input, seed) => {
        const rotate = <T>(xs: readonly T[]) => {
          const k = xs.length === 0 ? 0 : seed % xs.length;
          return [...xs.slice(k), ...xs.slice(0, k)].reverse();
        };
        const reordered = { ...input, lines: rotate(input.lines), stock: rotate(input.stock ?? []) };
        expect(JSON.stringify(replayDiff(reordered))).toBe(JSON.stringify(replayDiff(input)));
      }),
    );
  });

  it('a change is listed only when something differs; each line at most once per kind', () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const { changes } = replayDiff(input);
        for (const change of changes) {
          if (change.kind === 'price_changed')
            expect(change.till_unit_price_cents).not.toBe(change.current_unit_price_cents);
          if (change.kind === 'stock_short') expect(change.wanted).toBeGreaterThan(change.available);
        }
        const keys = changes.map((c) => `${c.kind}:${'position' in c ? c.position : ''}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
    );
  });
});

describe('resolutionSettles', () => {
  const priced = replayDiff({ ...base, lines: [line(0, V1, 450), line(1, V2, 1000)], current_total_cents: 1566 });
  const short = replayDiff({ ...base, stock: [{ variant_id: V1, location_id: LOC, available: 0 }] });

  it('price changes: either price resolution; stock: selling beyond it; closed register: none', () => {
    expect(resolutionSettles(priced, 'accept_server_prices')).toBe(true);
    expect(resolutionSettles(priced, 'keep_till_prices')).toBe(true);
    expect(resolutionSettles(priced, 'sell_beyond_stock')).toBe(false);
    expect(resolutionSettles(short, 'sell_beyond_stock')).toBe(true);
    expect(resolutionSettles(short, 'accept_server_prices')).toBe(false);
    expect(resolutionSettles(short, 'accept_server_prices', true)).toBe(true);
    const closed = replayDiff({ ...base, register: { id: REG, archived: true } });
    for (const kind of ['accept_server_prices', 'keep_till_prices', 'sell_beyond_stock'] as const) {
      expect(resolutionSettles(closed, kind, true)).toBe(false);
    }
  });

  it('every change has words', () => {
    const money = (c: number) => `$${(c / 100).toFixed(2)}`;
    for (const change of priced.changes) expect(describeReplayChange(change, money)).toMatch(/\$/);
    expect(describeReplayChange(short.changes[0]!, money)).toBe('Item 0 (SKU-0): 1 sold, 0 in stock');
  });
});

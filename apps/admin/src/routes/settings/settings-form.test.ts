import { describe, expect, it } from 'vitest';
import type { TenantSettings } from '../../api/tax.ts';
import { checkSettings, draftOf } from './settings-form.ts';

const CURRENT: TenantSettings = {
  name: 'Demo Store',
  timezone: 'Europe/London',
  currency: 'USD',
  prices_include_tax: false,
  money_rounding: null,
  effective_money_rounding: 'half_up',
  cash_rounding_cents: 5,
  stock_policy: 'block',
  receipt_footer_lines: [],
  offline_signin_grace_hours: 12,
  offline_card_mode: 'refuse',
  offline_card_max_sale_cents: 0,
  offline_card_max_outage_cents: 0,
  updated_at: '2026-12-01T10:00:00.000Z',
};

describe('the settings form', () => {
  it('starts from the settings as they are and sends nothing when nothing changed', () => {
    const draft = draftOf(CURRENT);
    expect(draft).toEqual({
      name: 'Demo Store',
      timezone: 'Europe/London',
      prices_include_tax: false,
      money_rounding: '',
      cash_rounding: '0.05',
      stock_policy: 'block',
      receipt_footer: '',
      offline_signin_grace_hours: '12',
      offline_card_mode: 'refuse',
      offline_card_max_sale: '0.00',
      offline_card_max_outage: '0.00',
    });
    expect(checkSettings(draft, CURRENT)).toEqual({ ok: true, change: {} });
  });

  it('sends the offline card policy in minor units and refuses an amount it cannot read', () => {
    const draft = {
      ...draftOf(CURRENT),
      offline_card_mode: 'external_terminal' as const,
      offline_card_max_sale: '50',
      offline_card_max_outage: '200.00',
    };
    expect(checkSettings(draft, CURRENT)).toEqual({
      ok: true,
      change: {
        offline_card_mode: 'external_terminal',
        offline_card_max_sale_cents: 5000,
        offline_card_max_outage_cents: 20000,
      },
    });
    expect(checkSettings({ ...draft, offline_card_max_sale: 'lots' }, CURRENT)).toMatchObject({
      ok: false,
      errors: { offline_card_max_sale: 'Enter an amount, or 0 for none.' },
    });
  });

  it('sends only what differs, as the server stores it (trimmed name, canonical zone, minor units, null)', () => {
    const draft = {
      ...draftOf(CURRENT),
      name: '  Corner Shop ',
      timezone: 'europe/paris',
      money_rounding: 'bankers' as const,
      cash_rounding: '',
    };
    expect(checkSettings(draft, CURRENT)).toEqual({
      ok: true,
      change: { name: 'Corner Shop', timezone: 'Europe/Paris', money_rounding: 'bankers', cash_rounding_cents: null },
    });
    expect(checkSettings({ ...draftOf(CURRENT), cash_rounding: '0.10' }, CURRENT)).toEqual({
      ok: true,
      change: { cash_rounding_cents: 10 },
    });
  });

  it('refuses what the server refuses, field by field', () => {
    const result = checkSettings(
      { ...draftOf(CURRENT), name: '   ', timezone: 'Mars/Olympus_Mons', cash_rounding: '0.005' },
      CURRENT,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual(['cash_rounding', 'name', 'timezone']);
    for (const cash of ['0', '0.00', '1000.01', '-0.05', 'five cents']) {
      const r = checkSettings({ ...draftOf(CURRENT), cash_rounding: cash }, CURRENT);
      expect(!r.ok && r.errors.cash_rounding, cash).toContain('0.01 to 1000.00');
    }
    expect(checkSettings({ ...draftOf(CURRENT), cash_rounding: '1000.00' }, CURRENT)).toEqual({
      ok: true,
      change: { cash_rounding_cents: 100_000 },
    });
    expect(checkSettings({ ...draftOf(CURRENT), name: 'x'.repeat(201) }, CURRENT).ok).toBe(false);
    expect(checkSettings({ ...draftOf(CURRENT), timezone: '' }, CURRENT).ok).toBe(false);
  });

  it('reads the coin in the currency: yen have no minor unit', () => {
    const yen = { ...CURRENT, currency: 'JPY', cash_rounding_cents: 10 };
    expect(draftOf(yen).cash_rounding).toBe('10');
    expect(checkSettings({ ...draftOf(yen), cash_rounding: '5' }, yen)).toEqual({
      ok: true,
      change: { cash_rounding_cents: 5 },
    });
    expect(checkSettings({ ...draftOf(yen), cash_rounding: '0.5' }, yen).ok).toBe(false);
  });

  it('sends the receipt footer trimmed, one line per line, and checks its limits as the server does', () => {
    const draft = draftOf(CURRENT);
    expect(checkSettings({ ...draft, receipt_footer: '  See you soon! \n\nReturns: 30 days\n' }, CURRENT)).toEqual({
      ok: true,
      change: { receipt_footer_lines: ['See you soon!', 'Returns: 30 days'] },
    });
    const branded = { ...CURRENT, receipt_footer_lines: ['See you soon!'] };
    expect(draftOf(branded).receipt_footer).toBe('See you soon!');
    expect(checkSettings({ ...draftOf(branded), receipt_footer: ' See you soon!' }, branded)).toEqual({
      ok: true,
      change: {},
    });
    expect(checkSettings({ ...draftOf(branded), receipt_footer: '' }, branded)).toEqual({
      ok: true,
      change: { receipt_footer_lines: [] },
    });
    expect(checkSettings({ ...draft, receipt_footer: '1\n2\n3\n4\n5' }, CURRENT)).toEqual({
      ok: false,
      errors: { receipt_footer: 'Use at most 4 lines (blank lines are dropped).' },
    });
    expect(checkSettings({ ...draft, receipt_footer: `ok\n\n${'x'.repeat(43)}` }, CURRENT)).toEqual({
      ok: false,
      errors: { receipt_footer: 'Line 2 is longer than 42 characters.' },
    });
  });

  it('takes the offline sign-in window in whole hours from 0 (off) to 168', () => {
    expect(checkSettings({ ...draftOf(CURRENT), offline_signin_grace_hours: ' 0 ' }, CURRENT)).toEqual({
      ok: true,
      change: { offline_signin_grace_hours: 0 },
    });
    expect(checkSettings({ ...draftOf(CURRENT), offline_signin_grace_hours: '168' }, CURRENT)).toEqual({
      ok: true,
      change: { offline_signin_grace_hours: 168 },
    });
    for (const hours of ['', '-1', '169', '1.5', '12h', '1e2']) {
      const r = checkSettings({ ...draftOf(CURRENT), offline_signin_grace_hours: hours }, CURRENT);
      expect(!r.ok && r.errors.offline_signin_grace_hours, hours).toContain('0 (off) to 168');
    }
  });
});

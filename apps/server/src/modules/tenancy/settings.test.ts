import { beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { expectProblem, useShop, type Client, type Tenant } from '../../../test/harness.ts';
import { getTenantMoneySettings } from './index.ts';

const shop = useShop({ env: { MONEY_ROUNDING: 'bankers' }, roles: ['owner', 'admin'] });
let other: Tenant;
const owner = shop.as('owner');
const admin = shop.as('admin');

beforeAll(async () => {
  other = await shop.addTenant('Other Shop', []);
});

const URL = '/v1/settings/tenant';

function get(as: Client) {
  return as.get(URL);
}

function patch(as: Client, payload: unknown) {
  return as.patch(URL, payload);
}

/** The data of a tenant's settings changes, oldest first. */
async function settingsAudit(tenantId: string): Promise<unknown[]> {
  return (await shop.audit({ tenantId, action: 'tenant.settings_changed' })).map((e): unknown => e.data);
}

describe('GET /v1/settings/tenant', () => {
  it("shows the defaults to every tenant role, with the server's rounding as the effective one", async () => {
    for (const role of ['owner', 'admin', 'manager', 'cashier'] as const) {
      const token = shop.as(role);
      const res = await get(token);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        name: 'Test Shop',
        timezone: 'UTC',
        currency: 'USD',
        prices_include_tax: false,
        money_rounding: null,
        effective_money_rounding: 'bankers',
        cash_rounding_cents: null,
        stock_policy: 'block',
        receipt_footer_lines: [],
        offline_signin_grace_hours: 12,
        offline_card_mode: 'refuse',
        offline_card_max_sale_cents: 0,
        offline_card_max_outage_cents: 0,
        updated_at: expect.any(String),
      });
    }
  });
});

describe('PATCH /v1/settings/tenant', () => {
  it('changes only what differs and audits before and after', async () => {
    const res = await patch(owner, {
      prices_include_tax: true,
      money_rounding: 'truncate',
      cash_rounding_cents: 5,
      stock_policy: 'block',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      prices_include_tax: true,
      money_rounding: 'truncate',
      effective_money_rounding: 'truncate',
      cash_rounding_cents: 5,
      stock_policy: 'block',
    });
    expect(await settingsAudit(shop.tenantId)).toEqual([
      {
        before: { prices_include_tax: false, money_rounding: null, cash_rounding_cents: null },
        after: { prices_include_tax: true, money_rounding: 'truncate', cash_rounding_cents: 5 },
      },
    ]);

    const back = await patch(admin, {
      money_rounding: null,
      cash_rounding_cents: null,
      stock_policy: 'allow_negative',
    });
    expect(back.json()).toMatchObject({
      money_rounding: null,
      effective_money_rounding: 'bankers',
      cash_rounding_cents: null,
      stock_policy: 'allow_negative',
    });
    expect((await settingsAudit(shop.tenantId)).at(-1)).toEqual({
      before: { money_rounding: 'truncate', cash_rounding_cents: 5, stock_policy: 'block' },
      after: { money_rounding: null, cash_rounding_cents: null, stock_policy: 'allow_negative' },
    });

    const same = await patch(admin, { stock_policy: 'allow_negative' });
    expect(same.statusCode).toBe(200);
    expect(await settingsAudit(shop.tenantId)).toHaveLength(2);
    expect(await settingsAudit(other.tenantId)).toHaveLength(0);
    expect((await get(other.as('owner'))).json().stock_policy).toBe('block');
  });

  it('renames the business and moves its time zone: trimmed, canonical, audited', async () => {
    const res = await patch(owner, { name: '  Corner Shop  ', timezone: 'europe/paris' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Corner Shop', timezone: 'Europe/Paris' });
    expect((await settingsAudit(shop.tenantId)).at(-1)).toEqual({
      before: { name: 'Test Shop', timezone: 'UTC' },
      after: { name: 'Corner Shop', timezone: 'Europe/Paris' },
    });
    // The receipts' business name is the tenant's name.
    const { rows } = await shop.deps.db.system.query('SELECT name, timezone FROM tenants WHERE id = $1', [
      shop.tenantId,
    ]);
    expect(rows[0]).toEqual({ name: 'Corner Shop', timezone: 'Europe/Paris' });
    const count = (await settingsAudit(shop.tenantId)).length;
    expect((await patch(admin, { name: 'Corner Shop', timezone: 'Europe/Paris' })).statusCode).toBe(200);
    expect(await settingsAudit(shop.tenantId)).toHaveLength(count);
    expect((await get(other.as('owner'))).json().name).toBe('Other Shop');
  });

  it('refuses a blank name and an unknown time zone, naming the field', async () => {
    const blank = await patch(owner, { name: '   ' });
    expectProblem(blank, 400, 'validation_failed');
    expect(blank.json().errors).toEqual([{ field: 'name', message: 'must not be blank' }]);
    const zone = await patch(owner, { timezone: 'Mars/Olympus_Mons', name: 'Never Saved' });
    expectProblem(zone, 400, 'validation_failed');
    expect(zone.json().errors).toEqual([{ field: 'timezone', message: expect.stringContaining('IANA') }]);
    expect((await get(owner)).json().name).not.toBe('Never Saved');
  });

  it('refuses bad values with 400 and changes nothing', async () => {
    const before = (await get(owner)).json();
    for (const body of [
      {},
      { money_rounding: 'half_even' },
      { cash_rounding_cents: 0 },
      { cash_rounding_cents: 100_001 },
      { cash_rounding_cents: 2.5 },
      { stock_policy: 'oversell' },
      { prices_include_tax: 'yes' },
      { currency: 'EUR' },
      { name: '' },
      { name: 'x'.repeat(201) },
      { timezone: '' },
      { timezone: 'x'.repeat(65) },
    ]) {
      expectProblem(await patch(owner, body), 400, 'validation_failed');
    }
    expect((await get(owner)).json()).toEqual(before);
  });

  it('is for owners and admins only', async () => {
    for (const role of ['manager', 'cashier'] as const) {
      const token = shop.as(role);
      expectProblem(await patch(token, { prices_include_tax: false }), 403, 'forbidden');
      expectProblem(await patch(token, { receipt_footer_lines: ['Mine'] }), 403, 'forbidden');
    }
  });
});

describe('PATCH /v1/settings/tenant receipt_footer_lines', () => {
  it('stores the footer trimmed without blank lines, audits it, and [] goes back to the default', async () => {
    const res = await patch(owner, { receipt_footer_lines: ['  See you soon! ', '', '   ', 'Returns within 30 days'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().receipt_footer_lines).toEqual(['See you soon!', 'Returns within 30 days']);
    expect((await settingsAudit(shop.tenantId)).at(-1)).toEqual({
      before: { receipt_footer_lines: [] },
      after: { receipt_footer_lines: ['See you soon!', 'Returns within 30 days'] },
    });
    const count = (await settingsAudit(shop.tenantId)).length;
    // The same lines (after trimming) change nothing and write no event.
    await patch(admin, { receipt_footer_lines: ['See you soon!', ' Returns within 30 days'] });
    expect(await settingsAudit(shop.tenantId)).toHaveLength(count);
    expect((await get(other.as('owner'))).json().receipt_footer_lines).toEqual([]);

    const cleared = await patch(admin, { receipt_footer_lines: [] });
    expect(cleared.json().receipt_footer_lines).toEqual([]);
    expect((await settingsAudit(shop.tenantId)).at(-1)).toEqual({
      before: { receipt_footer_lines: ['See you soon!', 'Returns within 30 days'] },
      after: { receipt_footer_lines: [] },
    });
  });

  it('refuses too many lines, too long a line, a non-string and a control character, naming the field', async () => {
    await patch(owner, { receipt_footer_lines: ['Kept'] });
    const before = (await get(owner)).json();
    const audits = (await settingsAudit(shop.tenantId)).length;
    const cases: [unknown, string][] = [
      [['1', '2', '3', '4', '5'], 'receipt_footer_lines'],
      [['ok', 'x'.repeat(43)], 'receipt_footer_lines[1]'],
      [['ok', 42], 'receipt_footer_lines[1]'],
      ['See you', 'receipt_footer_lines'],
      [['Bye\x1dV'], 'receipt_footer_lines[0]'],
    ];
    for (const [lines, field] of cases) {
      const res = await patch(owner, { receipt_footer_lines: lines });
      expectProblem(res, 400, 'validation_failed');
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await get(owner)).json()).toEqual(before);
    expect(await settingsAudit(shop.tenantId)).toHaveLength(audits);
  });
});

describe('getTenantMoneySettings', () => {
  it("resolves the rounding mode: the tenant's, else the default passed in", async () => {
    const ctx = systemContext(shop.tenantId);
    expect(
      await patch(owner, { money_rounding: null, cash_rounding_cents: 10, prices_include_tax: false }),
    ).toMatchObject({ statusCode: 200 });
    const read = (mode: 'half_up' | 'bankers') =>
      tenantTx(shop.deps.db, ctx, (tx) => getTenantMoneySettings(tx, ctx, mode));
    expect(await read('half_up')).toEqual({
      currency: 'USD',
      prices_include_tax: false,
      money_rounding: 'half_up',
      cash_rounding_cents: 10,
      stock_policy: 'allow_negative',
    });
    await patch(owner, { money_rounding: 'truncate', prices_include_tax: true });
    expect(await read('bankers')).toMatchObject({ money_rounding: 'truncate', prices_include_tax: true });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type RequestContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { useShop, type Tenant } from '../../../test/harness.ts';
import { auditExplicitTaxRate, explicitTaxRateFrom, resolveTaxRate, type TaxRateQuery } from './index.ts';

const DEFAULT_BPS = 825;
const URL = '/v1/admin/tax_rate_overrides';

const shop = useShop({ env: { DEFAULT_TAX_RATE_BPS: String(DEFAULT_BPS) } });
const owner = shop.as('owner');
let other: Tenant;
let ctx: RequestContext;

beforeAll(async () => {
  other = await shop.addTenant('Other Shop', []);
  ctx = systemContext(shop.tenantId);
});

function resolve(input: Omit<TaxRateQuery, 'defaultBps'>) {
  return tenantTx(shop.deps.db, ctx, (tx) =>
    resolveTaxRate(tx, ctx, { ...input, defaultBps: shop.config.defaultTaxRateBps }),
  );
}

/** Sets an override through the API (as the back office does) and returns its id. */
async function setOverride(body: { location_id?: string; register_id?: string; rate_bps: number }): Promise<string> {
  const res = await owner.post(URL, body);
  expect([200, 201], res.body).toContain(res.statusCode);
  return res.json().id as string;
}

async function removeOverride(id: string): Promise<void> {
  const res = await owner.delete(`${URL}/${id}`);
  expect(res.statusCode, res.body).toBe(204);
}

async function post(url: string, payload: object): Promise<string> {
  const res = await owner.post(url, payload);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

describe('resolveTaxRate', () => {
  it('uses DEFAULT_TAX_RATE_BPS when no override exists', async () => {
    expect(shop.config.defaultTaxRateBps).toBe(DEFAULT_BPS);
    expect(await resolve({})).toEqual({ rate_bps: DEFAULT_BPS, source: 'default' });
    expect(await resolve({ locationId: shop.locationId, registerId: shop.registerId })).toEqual({
      rate_bps: DEFAULT_BPS,
      source: 'default',
    });
  });

  it('takes register > location > tenant, falling back as each is removed', async () => {
    const at = { locationId: shop.locationId, registerId: shop.registerId };
    const tenant = await setOverride({ rate_bps: 100 });
    const location = await setOverride({ location_id: shop.locationId, rate_bps: 200 });
    const register = await setOverride({ register_id: shop.registerId, rate_bps: 300 });
    expect(await resolve(at)).toEqual({ rate_bps: 300, source: 'register' });
    await removeOverride(register);
    expect(await resolve(at)).toEqual({ rate_bps: 200, source: 'location' });
    await removeOverride(location);
    expect(await resolve(at)).toEqual({ rate_bps: 100, source: 'tenant' });
    await removeOverride(tenant);
    expect(await resolve(at)).toEqual({ rate_bps: DEFAULT_BPS, source: 'default' });
  });

  it("uses the register's location when only register_id is given", async () => {
    const loc = await post('/v1/locations', { name: 'Register Only' });
    const reg = await post('/v1/registers', { location_id: loc, name: 'Till R' });
    const override = await setOverride({ location_id: loc, rate_bps: 550 });
    expect(await resolve({ registerId: reg })).toEqual({ rate_bps: 550, source: 'location' });
    // An explicit location wins over the register's own for the location tier.
    const elsewhere = await post('/v1/locations', { name: 'Named Location' });
    await setOverride({ location_id: elsewhere, rate_bps: 560 });
    expect(await resolve({ registerId: reg, locationId: elsewhere })).toEqual({ rate_bps: 560, source: 'location' });
    await removeOverride(override);
    expect(await resolve({ registerId: reg })).toEqual({ rate_bps: DEFAULT_BPS, source: 'default' });
  });

  it('lets an explicit rate beat every override and reports what it replaced', async () => {
    const register = await setOverride({ register_id: shop.registerId, rate_bps: 300 });
    const tenant = await setOverride({ rate_bps: 100 });
    const at = { locationId: shop.locationId, registerId: shop.registerId };
    expect(await resolve({ ...at, explicitBps: 0 })).toEqual({
      rate_bps: 0,
      source: 'explicit',
      overridden: { rate_bps: 300, source: 'register' },
    });
    await removeOverride(register);
    await removeOverride(tenant);
    expect(await resolve({ explicitBps: 1000 })).toEqual({
      rate_bps: 1000,
      source: 'explicit',
      overridden: { rate_bps: DEFAULT_BPS, source: 'default' },
    });
  });

  it("never sees another tenant's overrides, even when given its ids", async () => {
    const otherOwner = other.as('owner');
    for (const payload of [
      { rate_bps: 1 },
      { location_id: other.locationId, rate_bps: 2 },
      { register_id: other.registerId, rate_bps: 3 },
    ]) {
      const res = await otherOwner.post(URL, payload);
      expect(res.statusCode, res.body).toBe(201);
    }
    expect(await resolve({ locationId: other.locationId, registerId: other.registerId })).toEqual({
      rate_bps: DEFAULT_BPS,
      source: 'default',
    });
  });
});

describe('auditExplicitTaxRate', () => {
  it('audits an order saved with an explicit rate, and nothing otherwise', async () => {
    const orderId = newId();
    const plainOrderId = newId();
    await tenantTx(shop.deps.db, ctx, async (tx) => {
      await auditExplicitTaxRate(tx, ctx, {
        orderId,
        resolved: { rate_bps: 0, source: 'explicit', overridden: { rate_bps: 825, source: 'default' } },
      });
      await auditExplicitTaxRate(tx, ctx, { orderId: plainOrderId, resolved: { rate_bps: 825, source: 'default' } });
    });
    const audited = [
      ...(await shop.audit({ tenantId: shop.tenantId, entityId: orderId })),
      ...(await shop.audit({ tenantId: shop.tenantId, entityId: plainOrderId })),
    ];
    expect(audited).toMatchAudit([
      {
        entity_id: orderId,
        action: 'order.tax_rate_overridden',
        entity_type: 'order',
        data: { rate_bps: 0, overridden_rate_bps: 825, overridden_source: 'default' },
      },
    ]);
  });
});

describe('explicitTaxRateFrom', () => {
  const manager = ['manager'] as const;

  function failure(fn: () => unknown): AppError {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      return err as AppError;
    }
    throw new Error('expected an AppError');
  }

  it('is undefined when nothing is sent, whatever the role', () => {
    expect(explicitTaxRateFrom({ headers: {}, roles: ['cashier'] })).toBeUndefined();
    expect(explicitTaxRateFrom({ headers: { 'x-other': '5' }, roles: manager })).toBeUndefined();
  });

  it('takes the body, then X-Tax-Rate-Bps, then X-Tenant-Tax-Rate-Bps', () => {
    const both = { 'x-tax-rate-bps': '700', 'x-tenant-tax-rate-bps': '600' };
    expect(explicitTaxRateFrom({ bodyBps: 800, headers: both, roles: manager })).toBe(800);
    expect(explicitTaxRateFrom({ headers: both, roles: manager })).toBe(700);
    expect(explicitTaxRateFrom({ headers: { 'x-tenant-tax-rate-bps': '600' }, roles: manager })).toBe(600);
    expect(explicitTaxRateFrom({ headers: { 'X-Tax-Rate-Bps': ' 0 ' }, roles: ['owner'] })).toBe(0);
    expect(explicitTaxRateFrom({ bodyBps: 10_000, headers: {}, roles: ['admin'] })).toBe(10_000);
  });

  it('refuses a bad header value with 400 naming the header, even when the body has a rate', () => {
    for (const value of ['abc', '10001', '-1', '1.5', '', '8e2', '0x10', ['5', '6']]) {
      const err = failure(() => explicitTaxRateFrom({ headers: { 'x-tax-rate-bps': value }, roles: manager }));
      expect({ code: err.code, status: err.status, field: err.errors?.[0]?.field }).toEqual({
        code: 'validation_failed',
        status: 400,
        field: 'X-Tax-Rate-Bps',
      });
    }
    const tenantHeader = failure(() =>
      explicitTaxRateFrom({ bodyBps: 5, headers: { 'x-tenant-tax-rate-bps': 'lots' }, roles: manager }),
    );
    expect(tenantHeader.errors?.[0]?.field).toBe('X-Tenant-Tax-Rate-Bps');
    const body = failure(() => explicitTaxRateFrom({ bodyBps: 10_001, headers: {}, roles: manager }));
    expect(body.errors?.[0]?.field).toBe('tax_rate_bps');
  });

  it('refuses an explicit rate from a cashier with 403', () => {
    for (const input of [
      { bodyBps: 0, headers: {} },
      { headers: { 'x-tax-rate-bps': '0' } },
      { headers: { 'x-tenant-tax-rate-bps': '0' } },
    ]) {
      const err = failure(() => explicitTaxRateFrom({ ...input, roles: ['cashier'] }));
      expect({ code: err.code, status: err.status }).toEqual({ code: 'forbidden', status: 403 });
    }
    expect(failure(() => explicitTaxRateFrom({ bodyBps: 1, headers: {}, roles: ['superadmin'] })).code).toBe(
      'forbidden',
    );
  });
});

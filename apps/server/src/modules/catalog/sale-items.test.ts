import { beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { useShop, type Client } from '../../../test/harness.ts';
import { resolveSaleItems, type SaleItem, type SaleItemRef } from './index.ts';

const shop = useShop();
const owner = shop.as('owner');
const p: Record<string, { id: string; variants: { id: string; sku: string }[] }> = {};

async function create(client: Client, key: string, payload: object): Promise<void> {
  const res = await client.post('/v1/products', payload);
  expect(res.statusCode, res.body).toBe(201);
  p[key] = res.json();
}

beforeAll(async () => {
  const other = await shop.addTenant('Other Shop', []);
  await create(owner, 'cola', { name: 'Cola', variants: [{ sku: 'COLA', price_cents: 199, tax_code: 'STD' }] });
  await create(owner, 'tea', {
    name: 'Tea',
    variants: [
      { sku: 'TEA-S', name: 'Small', price_cents: 250, tax_code: 'ZERO' },
      { sku: 'TEA-L', name: 'Large', price_cents: 350, tax_code: 'ZERO' },
    ],
  });
  await create(owner, 'bread', {
    name: 'Bread',
    variants: [
      { sku: 'BREAD-OLD', price_cents: 300 },
      { sku: 'BREAD', price_cents: 320, tax_code: 'EXEMPT' },
    ],
  });
  await owner.post(`/v1/variants/${p.bread!.variants[0]!.id}/archive`);
  await create(owner, 'gone', { name: 'Gone', variants: [{ sku: 'GONE', price_cents: 100 }] });
  await owner.post(`/v1/products/${p.gone!.id}/archive`);
  await create(other.as('owner'), 'foreign', {
    name: 'Foreign',
    variants: [{ sku: 'FOREIGN', price_cents: 1 }],
  });
});

function resolve(refs: SaleItemRef[], tenantId = shop.tenantId): Promise<SaleItem[]> {
  const ctx = systemContext(tenantId);
  return tenantTx(shop.deps.db, ctx, (tx) => resolveSaleItems(tx, refs));
}

async function failure(refs: SaleItemRef[]): Promise<AppError> {
  const err: unknown = await resolve(refs).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('resolveSaleItems', () => {
  it('resolves SKUs, variant ids and single-variant product ids in input order', async () => {
    const items = await resolve([
      { sku: 'TEA-L' },
      { product_id: p.cola!.id },
      { variant_id: p.tea!.variants[0]!.id },
      { sku: 'COLA' },
      { product_id: p.bread!.id },
    ]);
    expect(items).toEqual([
      {
        variant_id: p.tea!.variants[1]!.id,
        product_id: p.tea!.id,
        sku: 'TEA-L',
        name: 'Tea – Large',
        unit_price_cents: 350,
        tax_code: 'ZERO',
        archived: false,
      },
      expect.objectContaining({ sku: 'COLA', name: 'Cola', unit_price_cents: 199, tax_code: 'STD' }),
      expect.objectContaining({ sku: 'TEA-S', name: 'Tea – Small', unit_price_cents: 250 }),
      expect.objectContaining({ sku: 'COLA' }),
      // One variant of Bread is archived: the product id names the active one.
      expect.objectContaining({ sku: 'BREAD', unit_price_cents: 320, tax_code: 'EXEMPT', archived: false }),
    ]);
    expect(await resolve([])).toEqual([]);
  });

  it('returns archived items flagged, for the caller to refuse', async () => {
    const items = await resolve([{ sku: 'BREAD-OLD' }, { sku: 'GONE' }, { product_id: p.gone!.id }]);
    expect(items.map((i) => [i.sku, i.archived])).toEqual([
      ['BREAD-OLD', true],
      ['GONE', true],
      ['GONE', true],
    ]);
  });

  it('names every unknown ref (422 unknown_sku), another tenant’s ids and malformed ids included', async () => {
    const err = await failure([
      { sku: 'COLA' },
      { sku: 'NOPE-1' },
      { sku: 'FOREIGN' },
      { variant_id: p.foreign!.variants[0]!.id },
      { variant_id: 'not-a-uuid' },
      { sku: 'COLA', product_id: p.tea!.id },
      {},
    ]);
    expect(err.code).toBe('unknown_sku');
    expect(err.status).toBe(422);
    expect(err.errors?.map((e) => e.field)).toEqual([
      'items[1].sku',
      'items[2].sku',
      'items[3].variant_id',
      'items[4].variant_id',
      'items[5].sku',
      'items[6].product_id',
    ]);
    expect(err.extra?.unknown).toEqual(['NOPE-1', 'FOREIGN', p.foreign!.variants[0]!.id, 'not-a-uuid', 'COLA', '']);
  });

  it('asks for variant_id or sku when a product id names several active variants', async () => {
    const err = await failure([{ sku: 'COLA' }, { product_id: p.tea!.id }]);
    expect(err.code).toBe('validation_failed');
    expect(err.errors).toEqual([
      { field: 'items[1].product_id', message: 'the product has 2 variants: send variant_id or sku' },
    ]);
  });

  it('resolves many refs in one statement', async () => {
    const refs = Array.from({ length: 300 }, (_, i) => ({ sku: i % 2 === 0 ? 'COLA' : 'TEA-S' }));
    const items = await resolve(refs);
    expect(items.map((i) => i.sku)).toEqual(refs.map((r) => r.sku));
  });
});

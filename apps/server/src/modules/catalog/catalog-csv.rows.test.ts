import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { parseRow, readHeader } from './catalog-csv.rows.ts';

const FULL = ['product_name', 'category', 'sku', 'variant_name', 'price_cents', 'tax_code', 'barcodes'];

describe('readHeader', () => {
  it('accepts the columns in any order and case, the optional ones optional', () => {
    expect(readHeader([' SKU ', 'Price_Cents', 'product_name'])).toEqual({ sku: 0, price_cents: 1, product_name: 2 });
    expect(readHeader(FULL)).toMatchObject({ barcodes: 6 });
  });

  it('refuses unknown, repeated and missing columns', () => {
    for (const header of [
      [...FULL, 'cost'],
      ['product_name', 'sku', 'sku', 'price_cents'],
      ['product_name', 'sku'],
    ]) {
      const err: unknown = (() => {
        try {
          readHeader(header);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).errors?.[0]?.field).toBe('header');
    }
  });
});

describe('parseRow', () => {
  const header = readHeader(FULL);

  it('reads a full row: trimmed text, upper-cased tax code, barcodes split on |', () => {
    const res = parseRow(header, [' Tea ', 'Drinks', 'TEA-S', 'Small', '250', 'zero', '123| 456'], 2);
    expect(res).toEqual({
      ok: true,
      value: {
        row: 2,
        productName: 'Tea',
        category: 'Drinks',
        sku: 'TEA-S',
        variantName: 'Small',
        priceCents: 250,
        taxCode: 'ZERO',
        barcodes: ['123', '456'],
      },
    });
  });

  it('reads empty optional cells as "none", and absent columns as "leave alone"', () => {
    const empty = parseRow(header, ['Tea', '', 'TEA', '', '0', '', ''], 3);
    expect(empty).toMatchObject({
      ok: true,
      value: { category: null, variantName: null, taxCode: 'STD', barcodes: [] },
    });
    const short = parseRow(readHeader(['product_name', 'sku', 'price_cents']), ['Tea', 'TEA', '1'], 4);
    expect(short).toMatchObject({
      ok: true,
      value: { category: undefined, variantName: undefined, taxCode: undefined, barcodes: undefined },
    });
  });

  it('reports every bad field of a row', () => {
    const res = parseRow(header, ['', 'x'.repeat(201), 'has space', '', '-5', 'VAT', 'ok|bad code|ok'], 7);
    expect(res.ok).toBe(false);
    expect(!res.ok && res.errors.map((e) => [e.row, e.field])).toEqual([
      [7, 'product_name'],
      [7, 'category'],
      [7, 'sku'],
      [7, 'price_cents'],
      [7, 'tax_code'],
      [7, 'barcodes'],
    ]);
  });

  it('refuses prices that are not whole minor units or too large', () => {
    for (const price of ['12.50', '1e3', '', ' ', '0x10', '100000000001']) {
      const res = parseRow(header, ['Tea', '', 'TEA', '', price, '', ''], 2);
      expect(!res.ok && res.errors.map((e) => e.field), price).toEqual(['price_cents']);
    }
    expect(parseRow(header, ['Tea', '', 'TEA', '', '100000000000', '', ''], 2).ok).toBe(true);
  });

  it('refuses a row with the wrong number of fields, and repeated or too many barcodes', () => {
    expect(parseRow(header, ['Tea', 'TEA', '1'], 5)).toEqual({
      ok: false,
      errors: [{ row: 5, field: 'row', message: 'has 3 fields; the header has 7' }],
    });
    const twice = parseRow(header, ['Tea', '', 'TEA', '', '1', '', '1|1'], 2);
    expect(!twice.ok && twice.errors[0]?.message).toBe('lists a barcode twice');
    const many = Array.from({ length: 21 }, (_, i) => String(i)).join('|');
    expect(parseRow(header, ['Tea', '', 'TEA', '', '1', '', many], 2).ok).toBe(false);
  });
});

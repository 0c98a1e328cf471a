import { describe, expect, it } from 'vitest';
import { createRng, demoCatalog, demoCatalogCsv, ean13CheckDigit, isValidEan13 } from './demo-catalog.ts';
import { cashHandedOver, planOrders, planStock } from './demo-plan.ts';
import { tendersFor } from './demo-sales.ts';

describe('the demo catalog generator', () => {
  const catalog = demoCatalog();
  const variants = catalog.flatMap((p) => p.variants);

  it('is deterministic: the same seed gives the same shop, another seed another one', () => {
    expect(demoCatalog()).toEqual(catalog);
    expect(demoCatalogCsv(demoCatalog())).toBe(demoCatalogCsv(catalog));
    expect(demoCatalog(1)).not.toEqual(catalog);
  });

  it('has about 200 products with unique names in 10 categories, some with variants', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(180);
    expect(catalog.length).toBeLessThanOrEqual(220);
    expect(new Set(catalog.map((p) => p.name)).size).toBe(catalog.length);
    expect(new Set(catalog.map((p) => p.category)).size).toBe(10);
    const withVariants = catalog.filter((p) => p.variants.length > 1);
    expect(withVariants.length).toBeGreaterThanOrEqual(20);
    expect(withVariants.every((p) => p.variants.every((v) => v.name !== null))).toBe(true);
    expect(catalog.find((p) => p.name === 'Cola')?.variants.map((v) => v.name)).toEqual(['330 ml', '500 ml', '1.5 l']);
  });

  it('gives every variant a unique SKU and a positive whole price in cents', () => {
    expect(new Set(variants.map((v) => v.sku)).size).toBe(variants.length);
    for (const v of variants) {
      expect(v.sku).toMatch(/^[!-~]{1,64}$/);
      expect(Number.isSafeInteger(v.priceCents) && v.priceCents > 0, v.sku).toBe(true);
    }
  });

  it('gives barcoded variants unique EAN-13s with valid check digits; the coffee bar has none', () => {
    const barcodes = variants.flatMap((v) => (v.barcode === null ? [] : [v.barcode]));
    expect(barcodes.length).toBeGreaterThanOrEqual(200);
    expect(new Set(barcodes).size).toBe(barcodes.length);
    for (const code of barcodes) expect(isValidEan13(code), code).toBe(true);
    const coffee = catalog.filter((p) => p.category === 'Coffee bar').flatMap((p) => p.variants);
    expect(coffee.every((v) => v.barcode === null)).toBe(true);
  });

  it('computes EAN-13 check digits as GS1 does', () => {
    expect(ean13CheckDigit('400638133393')).toBe(1); // 4006381333931, a known valid EAN
    expect(isValidEan13('4006381333931')).toBe(true);
    expect(isValidEan13('4006381333932')).toBe(false);
    expect(isValidEan13('400638133393')).toBe(false);
    expect(() => ean13CheckDigit('12345')).toThrow(RangeError);
  });

  it('taxes most goods STD, basic food EXEMPT and newspapers and books ZERO', () => {
    const count = (code: string) => variants.filter((v) => v.taxCode === code).length;
    expect(count('STD')).toBeGreaterThan(variants.length / 2);
    expect(count('EXEMPT')).toBeGreaterThan(20);
    expect(count('ZERO')).toBeGreaterThanOrEqual(3);
    expect(catalog.find((p) => p.name === 'Whole milk')?.variants[0]?.taxCode).toBe('EXEMPT');
    expect(catalog.find((p) => p.name === 'Daily newspaper')?.variants[0]?.taxCode).toBe('ZERO');
  });

  it('writes the CSV import format, quoting cells that need it', () => {
    const csv = demoCatalogCsv(catalog).split('\n');
    expect(csv[0]).toBe('product_name,category,sku,variant_name,price_cents,tax_code,barcodes');
    expect(csv.length).toBe(variants.length + 2); // header, rows, final newline
    expect(demoCatalogCsv([{ name: 'Cake, "best"', category: 'Bakery', popularity: 1, variants: [] }])).toBe(
      'product_name,category,sku,variant_name,price_cents,tax_code,barcodes\n',
    );
  });
});

describe('the demo plan', () => {
  const catalog = demoCatalog();
  const stock = [planStock(catalog, 0, 1), planStock(catalog, 1, 1)];
  const options = { days: 3, ordersPerDay: [20, 40] as const, seed: 1 };

  it('stocks every variant with 5–80 units, with a few thresholds and low-stock items', () => {
    for (const lines of stock) {
      expect(lines.length).toBe(catalog.flatMap((p) => p.variants).length);
      expect(lines.every((l) => l.quantity >= 5 && l.quantity <= 80)).toBe(true);
      const thresholds = lines.filter((l) => l.threshold !== null);
      expect(thresholds.length).toBeGreaterThan(10);
      expect(thresholds.filter((l) => l.quantity <= (l.threshold ?? 0)).length).toBeGreaterThan(3);
    }
  });

  it('plans the same sales every time, each register in time order, never selling more than the stock', () => {
    const plan = planOrders(catalog, stock, [0, 0, 1, 1], options);
    expect(planOrders(catalog, stock, [0, 0, 1, 1], options)).toEqual(plan);
    for (const register of [0, 1, 2, 3]) {
      const mine = plan.filter((p) => p.register === register);
      expect(mine.length).toBeGreaterThanOrEqual(3 * 20 - 3);
      expect(mine.length).toBeLessThanOrEqual(3 * 40);
      const keys = mine.map((p) => (10 - p.daysAgo) * 100_000 + p.secondsOfDay);
      expect(keys).toEqual([...keys].sort((a, b) => a - b));
    }
    for (const [l, lines] of stock.entries()) {
      const sold = new Map<string, number>();
      for (const p of plan.filter((o) => (o.register < 2 ? 0 : 1) === l)) {
        for (const i of p.items) sold.set(i.sku, (sold.get(i.sku) ?? 0) + i.quantity);
      }
      for (const line of lines) expect(sold.get(line.sku) ?? 0).toBeLessThanOrEqual(line.quantity);
    }
    expect(plan.filter((p) => p.voidReason !== undefined).length).toBe(2);
    expect(plan.some((p) => p.discountBp > 0)).toBe(true);
    expect(new Set(plan.map((p) => p.payment))).toEqual(new Set(['cash', 'card', 'split']));
  });

  it('pays with tenders that cover the total, a card never over the total', () => {
    const rng = createRng(5);
    for (let total = 1; total < 20_000; total += 37) {
      for (const payment of ['cash', 'card', 'split'] as const) {
        const tenders = tendersFor(payment, total, total, rng);
        const card = tenders.filter((t) => t.method === 'external_card').reduce((s, t) => s + t.amount_cents, 0);
        const all = tenders.reduce((s, t) => s + t.amount_cents, 0);
        expect(card).toBeLessThanOrEqual(total);
        expect(all).toBeGreaterThanOrEqual(total);
        expect(tenders.every((t) => t.amount_cents > 0)).toBe(true);
      }
      expect(cashHandedOver(total, rng)).toBeGreaterThanOrEqual(total);
    }
  });
});

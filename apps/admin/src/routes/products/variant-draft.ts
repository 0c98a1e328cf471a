import type { NewVariant, Variant } from '../../api/catalog.ts';
import { moneyInput, parseMoney } from '../../app/format.ts';

export const TAX_CODES = ['STD', 'EXEMPT', 'ZERO', 'NONE'] as const;
export type TaxCode = (typeof TAX_CODES)[number];

export const TAX_CODE_NAMES: Record<TaxCode, string> = {
  STD: 'Standard (taxed)',
  EXEMPT: 'Exempt',
  ZERO: 'Zero-rated',
  NONE: 'No tax',
};

/** A variant as its form edits it: text fields, turned into API values only when saved. */
export interface VariantDraft {
  sku: string;
  name: string;
  price: string;
  tax_code: TaxCode;
  barcodes: string;
}

export function emptyDraft(): VariantDraft {
  return { sku: '', name: '', price: '', tax_code: 'STD', barcodes: '' };
}

export function draftOf(v: Variant, currency: string): VariantDraft {
  return {
    sku: v.sku,
    name: v.name ?? '',
    price: moneyInput(v.price_cents, currency),
    tax_code: v.tax_code,
    barcodes: v.barcodes.join(' '),
  };
}

/** Barcodes typed or scanned into one field, separated by spaces, commas or new lines. */
export function barcodeList(text: string): string[] {
  return [...new Set(text.split(/[\s,;|]+/).filter((b) => b !== ''))];
}

/** The draft as the API takes it; a price that is not an exact amount is reported before anything is sent. */
export function toNewVariant(draft: VariantDraft, currency: string): NewVariant | { priceError: string } {
  const price = parseMoney(draft.price, currency);
  if (price === undefined || price < 0) return { priceError: 'Enter a price such as 12.50' };
  return {
    sku: draft.sku.trim(),
    ...(draft.name.trim() === '' ? {} : { name: draft.name.trim() }),
    price_cents: price,
    tax_code: draft.tax_code,
    barcodes: barcodeList(draft.barcodes),
  };
}
